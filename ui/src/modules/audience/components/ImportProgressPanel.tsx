import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { Panel } from '@/modules/audience/components/Panel';
import { useImportProgress } from '@/modules/audience/hooks/useImportProgress';
import { percentDone, rowsPerSecond } from '@/modules/audience/states/importProgress';
import type { ImportJob } from '@/modules/audience/types/Import';
import { downloadFile } from '@/modules/audience/utils/download';
import { Button } from '@/modules/ui/components/Button';

const STATUS_WORDS: Record<ImportJob['status'], string> = {
  uploaded: 'Uploaded, not started',
  running: 'Running',
  finished: 'Done',
  failed: 'Failed',
};

/** Step 3: a running or past import, live from the stream: the bar, rows/s, rejected rows,
 * the error file, and resume for one whose process died. */
export function ImportProgressPanel({ id }: { id: number }) {
  const progress = useImportProgress(id);
  const [actionError, setActionError] = useState<unknown>(null);
  const { job } = progress;
  if (!job) return progress.error ? <ApiErrorNote error={progress.error} /> : <p className="text-sm">Loading the import…</p>;
  const percent = percentDone(job);
  const rate = rowsPerSecond(progress);
  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (caught) {
      setActionError(caught);
    }
  };
  return (
    <Panel title={`Import #${job.id}: ${job.filename}`}>
      <p className="text-sm" role="status" data-testid="import-status">
        <strong>{STATUS_WORDS[job.status]}</strong>
        {job.status === 'running' && progress.stream !== 'open' ? ' · live updates reconnecting…' : ''}
      </p>
      <div className="space-y-1">
        <progress className="h-4 w-full accent-sky-700" max={100} value={percent} aria-label="Import progress">
          {percent} %
        </progress>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="import-figures">
          <Figure term="Rows done" value={`${job.rows_done.toLocaleString()} of ${job.rows_total.toLocaleString()} (${percent} %)`} />
          <Figure term="Rows per second" value={rate === null ? '—' : rate.toLocaleString()} />
          <Figure term="Rejected rows" value={job.rows_failed.toLocaleString()} />
          <Figure term={`${job.entity === 'account' ? 'Accounts' : 'Contacts'} created / updated / skipped`} value={`${job.created} / ${job.updated} / ${job.skipped}`} />
        </dl>
      </div>
      {job.failure ? <p className="text-sm text-rose-700 dark:text-rose-300">Stopped: {job.failure}</p> : null}
      {job.status === 'uploaded' ? (
        <p className="text-sm">Its column mapping was never confirmed: start another import and upload the file again.</p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button disabled={job.rows_failed === 0} onClick={() => void act(() => downloadFile(`/imports/${job.id}/errors.csv`, `import-${job.id}-errors.csv`))}>
          Download the error file ({job.rows_failed.toLocaleString()} rows)
        </Button>
        {job.status === 'running' ? (
          <Button
            tone="warning"
            title="Takes over an import whose server process stopped (no progress for a minute)."
            onClick={() =>
              void act(async () => {
                await apiFetch(`/imports/${job.id}/resume`, { method: 'POST' });
                progress.reload();
              })
            }
          >
            Resume an interrupted import
          </Button>
        ) : null}
      </div>
      <ApiErrorNote error={actionError ?? progress.error} />
    </Panel>
  );
}

function Figure({ term, value }: { term: string; value: string }) {
  return (
    <div className="rounded border border-slate-200 p-2 dark:border-slate-700">
      <dt className="text-xs text-slate-600 dark:text-slate-300">{term}</dt>
      <dd className="font-semibold">{value}</dd>
    </div>
  );
}
