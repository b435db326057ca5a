import { ApiError } from '@/modules/api/utils/ApiError';

/** An API error in words: its message and each field's reason. */
export function ApiErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const message = api?.message ?? (error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <div role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100">
      <p>{message}</p>
      {api?.errors.length ? (
        <ul className="list-disc pl-5">
          {api.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
