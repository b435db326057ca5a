import type { ApiError } from '@/modules/api/utils/ApiError';

/** An API error in words: its message and, when no input shows them, its field errors. */
export function ErrorNote({ error, withFields = false }: { error: ApiError | null; withFields?: boolean }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:bg-rose-950 dark:text-rose-100">
      <p>{error.message}</p>
      {withFields && error.errors.length ? (
        <ul className="mt-1 list-disc pl-5">
          {error.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
