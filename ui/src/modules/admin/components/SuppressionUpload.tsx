import { useRef } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { Button } from '@/modules/ui/components/Button';

type Result = { rows: number; created: number; already_present: number };

/** A CSV of suppressions, all or nothing: a refused file lists every bad row and cell. */
export function SuppressionUpload({ onImported }: { onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const submit = useSubmit();
  const upload = async () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    const result = await submit.run(
      () => apiFetch<Result>('/suppressions/bulk', { method: 'POST', body: form }),
      (r) => `${r.rows} rows read: ${r.created} added, ${r.already_present} already suppressed.`,
    );
    if (result) onImported();
  };
  const rowErrors = submit.error?.errors ?? [];
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="CSV file" hint="Columns: kind, value[, reason, consent_basis, client_id]" className="min-w-80">
          <input ref={input} type="file" accept=".csv,text/csv" className={INPUT} />
        </Field>
        <Button tone="primary" disabled={submit.busy} onClick={() => void upload()}>
          Upload CSV
        </Button>
      </div>
      {submit.done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {submit.done}
        </p>
      ) : null}
      {submit.error ? (
        <div role="alert" className="space-y-1 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
          <p>{submit.error.message}</p>
          {rowErrors.length ? (
            <table data-testid="upload-errors" className="text-left">
              <thead>
                <tr>
                  <th className="pr-4">Line</th>
                  <th className="pr-4">Column</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {rowErrors.map((e) => {
                  const [, line, column] = e.field.split('.');
                  return (
                    <tr key={`${e.field}:${e.message}`}>
                      <td className="pr-4">{e.field.startsWith('rows.') ? line : '—'}</td>
                      <td className="pr-4">{e.field.startsWith('rows.') ? (column ?? 'row') : e.field}</td>
                      <td>{e.message}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
