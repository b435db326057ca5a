import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { INPUT, Panel } from '@/modules/audience/components/Panel';
import type { ImportEntity, ImportJob, ImportPreview } from '@/modules/audience/types/Import';
import { mappingProblems, targetLabel, type Mapping } from '@/modules/audience/utils/importMapping';
import { Button } from '@/modules/ui/components/Button';

type Props = { preview: ImportPreview; entity: ImportEntity; onStarted: (job: ImportJob) => void; onBack: () => void };

/** Step 2: each column's field (the API's suggestion first), the first rows as the API
 * validated them, then run. */
export function ImportMapping({ preview, entity, onStarted, onBack }: Props) {
  const [mapping, setMapping] = useState<Mapping>(() => ({ ...preview.suggested_mapping }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = mappingProblems(mapping, entity);
  const bad = preview.rows.filter((row) => row.valid === false).length;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      onStarted(await apiFetch<ImportJob>(`/imports/${preview.id}/run`, { method: 'POST', body: { mapping } }));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  const sample = preview.rows[0]?.cells ?? [];
  return (
    <div className="space-y-3">
      <Panel title={`Map the columns of ${preview.filename}`}>
        <p className="text-sm">
          {preview.rows_total.toLocaleString()} rows · {preview.format.toUpperCase()}
          {preview.encoding ? ` · ${preview.encoding}` : ''}
          {preview.delimiter ? ` · delimiter “${preview.delimiter === '\t' ? 'tab' : preview.delimiter}”` : ''}
        </p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th className="py-1">Column in the file</th>
              <th>First row</th>
              <th>Imported as</th>
            </tr>
          </thead>
          <tbody>
            {preview.headers.map((header, index) => {
              const suggested = preview.suggested_mapping[header];
              return (
                <tr key={header} className="border-b border-slate-100 dark:border-slate-800">
                  <td className="py-1 font-medium">{header}</td>
                  <td className="max-w-48 truncate text-slate-600 dark:text-slate-300">{sample[index] ?? ''}</td>
                  <td>
                    <select
                      aria-label={`Field for column ${header}`}
                      aria-invalid={problems[header] ? true : undefined}
                      className={INPUT}
                      value={mapping[header] ?? ''}
                      onChange={(e) => setMapping({ ...mapping, [header]: e.target.value || null })}
                    >
                      <option value="">— not imported —</option>
                      {preview.targets.map((target) => (
                        <option key={target} value={target}>
                          {targetLabel(target)}
                          {target === suggested ? ' (suggested)' : ''}
                        </option>
                      ))}
                    </select>
                    {problems[header] ? <span className="ml-2 text-rose-700 dark:text-rose-300">{problems[header]}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {problems[''] ? <p className="text-sm text-rose-700 dark:text-rose-300">{problems['']}</p> : null}
        <ApiErrorNote error={error} />
        <div className="flex gap-2">
          <Button onClick={onBack}>Back</Button>
          <Button tone="primary" disabled={busy || Object.keys(problems).length > 0} onClick={() => void run()}>
            {busy ? 'Starting…' : `Run the import of ${preview.rows_total.toLocaleString()} rows`}
          </Button>
        </div>
      </Panel>
      <Panel title="Validation preview">
        <p className="text-sm">
          The first {preview.rows.length} rows checked under the suggested mapping: {bad} would be rejected.
        </p>
        <div className="max-h-80 overflow-auto" tabIndex={0} role="region" aria-label="Preview rows">
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th className="py-1">Row</th>
                <th>Result</th>
                {preview.headers.map((header) => (
                  <th key={header}>{header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.row} className={row.valid === false ? 'bg-rose-50 dark:bg-rose-950' : ''}>
                  <td className="py-1">{row.row}</td>
                  <td>
                    {row.valid === null ? 'not checked' : row.valid ? 'valid' : <span className="text-rose-800 dark:text-rose-200">{`${row.field ?? 'row'}: ${row.reason ?? 'rejected'}`}</span>}
                  </td>
                  {row.cells.map((cell, index) => (
                    <td key={preview.headers[index] ?? index}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
