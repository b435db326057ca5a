import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { ImportMapping } from '@/modules/audience/components/ImportMapping';
import { ImportProgressPanel } from '@/modules/audience/components/ImportProgressPanel';
import { ImportUpload } from '@/modules/audience/components/ImportUpload';
import { Panel, ROW_BUTTON } from '@/modules/audience/components/Panel';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import type { Page } from '@/modules/audience/types/Audience';
import type { ImportJob, ImportPreview } from '@/modules/audience/types/Import';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { Button } from '@/modules/ui/components/Button';

const HERE = '/audience/imports';
const STEPS = ['Upload', 'Map columns', 'Run'];

/** The import wizard: upload → column mapping with the suggestions and a validation
 * preview → run and follow (`?import=<id>` reopens an import's progress). */
export function ImportsPage({ query, navigate }: ScreenProps) {
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [entity, setEntity] = useState<'contact' | 'account'>('contact');
  const opened = query.get('import');
  const step = opened ? 2 : preview ? 1 : 0;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Import contacts or accounts</h1>
        <ol className="flex gap-2 text-sm" aria-label="Steps">
          {STEPS.map((name, index) => (
            <li
              key={name}
              aria-current={index === step ? 'step' : undefined}
              className="rounded-full border border-slate-300 px-3 py-0.5 aria-[current=step]:border-sky-700 aria-[current=step]:bg-sky-700 aria-[current=step]:text-white dark:border-slate-600"
            >
              {index + 1}. {name}
            </li>
          ))}
        </ol>
        {step > 0 ? (
          <Button
            className="ml-auto"
            onClick={() => {
              setPreview(null);
              navigate(HERE);
            }}
          >
            Start another import
          </Button>
        ) : null}
      </div>
      {opened ? (
        <ImportProgressPanel key={opened} id={Number(opened)} />
      ) : preview ? (
        <ImportMapping preview={preview} entity={entity} onStarted={(job) => navigate(`${HERE}?import=${job.id}`)} onBack={() => setPreview(null)} />
      ) : (
        <ImportUpload
          onUploaded={(uploaded, kind) => {
            setEntity(kind);
            setPreview(uploaded);
          }}
        />
      )}
      <RecentImports version={opened} onOpen={(id) => navigate(`${HERE}?import=${id}`)} />
    </div>
  );
}

function RecentImports({ version, onOpen }: { version: string | null; onOpen: (id: number) => void }) {
  const imports = useApiResource<Page<ImportJob>>('/imports?limit=20', version ? Number(version) : 0);
  return (
    <Panel title="Recent imports">
      <ApiErrorNote error={imports.error} />
      {imports.data?.items.length === 0 ? <p className="text-sm">No imports yet.</p> : null}
      <ul className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
        {imports.data?.items.map((job) => (
          <li key={job.id}>
            <button type="button" className={ROW_BUTTON} onClick={() => onOpen(job.id)}>
              <span className="block font-medium">
                #{job.id} {job.filename}
              </span>
              <span className="text-xs text-slate-600 dark:text-slate-300">
                {job.entity}s · {job.status} · {job.rows_done.toLocaleString()}/{job.rows_total.toLocaleString()} rows · {job.rows_failed.toLocaleString()} rejected
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
