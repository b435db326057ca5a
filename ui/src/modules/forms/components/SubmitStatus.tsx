import type { Submit } from '@/modules/forms/hooks/useSubmit';

type Props = { submit: Pick<Submit, 'error' | 'done'>; /** Fields the form shows beside their inputs. */ shown?: string[] };

/** The outcome of a write: the API's message and any field errors not shown at a field. */
export function SubmitStatus({ submit, shown = [] }: Props) {
  const { error, done } = submit;
  if (error) {
    const rest = error.errors.filter((e) => !shown.includes(e.field));
    return (
      <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:bg-rose-950 dark:text-rose-100">
        <p>{error.message}</p>
        {rest.length ? (
          <ul className="mt-1 list-disc pl-5">
            {rest.map((e) => (
              <li key={`${e.field}:${e.message}`}>
                <span className="font-mono">{e.field}</span>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  if (done) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
        {done}
      </p>
    );
  }
  return null;
}
