import type { ApiError } from '@/modules/api/utils/ApiError';

/** The API's refusal in words, with each refused lead or missing item on its own line. */
export function DecisionError({ error, onDismiss }: { error: ApiError; onDismiss: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-2 text-sm text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100">
      <div className="flex items-start justify-between gap-2">
        <p className="font-medium">{error.message}</p>
        <button type="button" onClick={onDismiss} className="text-xs underline">Dismiss</button>
      </div>
      {error.errors.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {error.errors.map((item) => (
            <li key={item.field}>{describeField(item.field)}: {item.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function describeField(field: string): string {
  const lead = /^leads\.(\d+)$/.exec(field);
  if (lead) return `Lead #${lead[1]}`;
  return field.replace(/^checklist\./, 'Checklist: ');
}
