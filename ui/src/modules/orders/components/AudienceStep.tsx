import { useMemo, useState } from 'react';

import { useDebouncedPost } from '@/modules/api/hooks/useDebouncedPost';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { apiUpload, type UploadProgress as Progress } from '@/modules/api/utils/apiUpload';
import { COUNT_DELAY_MS } from '@/modules/audience/hooks/useLiveCount';
import { AudienceCountNote } from '@/modules/orders/components/AudienceCountNote';
import { AudienceSummaryView } from '@/modules/orders/components/AudienceSummaryView';
import { UploadProgress } from '@/modules/orders/components/UploadProgress';
import type { AudienceCount, AudienceSummary, DomainListAudience, DomainListCount, Order } from '@/modules/orders/types/Order';
import { matchSummary } from '@/modules/orders/utils/matchSummary';
import { fromFilter, type SimpleFilter, toFilter } from '@/modules/orders/utils/simpleFilter';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { TextField } from '@/modules/ui/components/TextField';
import { useAction } from '@/modules/ui/hooks/useAction';

export type AudienceMode = 'fields' | 'upload' | 'saved';

const MODES: { value: AudienceMode; label: string }[] = [
  { value: 'upload', label: 'Upload a domain list' },
  { value: 'fields', label: 'All contacts matching a few fields' },
  { value: 'saved', label: 'A segment, list or domain set your account manager shared' },
];

type Props = { order: Order; mode: AudienceMode; onMode: (mode: AudienceMode) => void; onSaved: () => void };

const COUNT_PATH = '/client/audience/count';

/** Chooses the audience, with a live count of what each choice would hold before it is
 * used; every choice is snapshotted by the server at once. */
export function AudienceStep({ order, mode, onMode, onSaved }: Props) {
  const { busy, error, run } = useAction();
  const [summary, setSummary] = useState<Partial<AudienceSummary>>(order.audience);
  const [found, setFound] = useState<DomainListAudience['stats'] | null>(null);
  const put = (body: unknown) =>
    run(async () => {
      setSummary(await apiFetch<AudienceSummary>(`/client/orders/${order.id}/audience`, { method: 'PUT', body }));
      setFound(null);
      onSaved();
    });
  return (
    <div className="space-y-4">
      <AudienceSummaryView audience={summary} />
      <fieldset>
        <legend className="text-sm font-medium">Where the audience comes from</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {MODES.map((m) => (
            <label key={m.value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="audience-mode" checked={mode === m.value} onChange={() => onMode(m.value)} />
              {m.label}
            </label>
          ))}
        </div>
      </fieldset>
      {mode === 'upload' ? (
        <DomainUpload
          orderId={order.id}
          busy={busy}
          run={run}
          onDone={(answer) => {
            setSummary(answer);
            setFound(answer.stats);
            onSaved();
          }}
        />
      ) : null}
      {mode === 'fields' ? (
        <FieldsForm
          initial={order.audience.source === 'filter' ? fromFilter(order.audience.definition?.filter) : undefined}
          busy={busy}
          onUse={(filter) => void put({ source: 'filter', filter: toFilter(filter) })}
        />
      ) : null}
      {mode === 'saved' ? <SavedSource busy={busy} onUse={(body) => void put(body)} /> : null}
      {found ? <MatchStats stats={found} /> : null}
      <ErrorNote error={error} withFields />
    </div>
  );
}

type Run = ReturnType<typeof useAction>['run'];

function DomainUpload({ orderId, busy, run, onDone }: { orderId: number; busy: boolean; run: Run; onDone: (a: DomainListAudience) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [picker, setPicker] = useState(0); // a new key empties the file input
  const form = useMemo(() => {
    if (!file) return null;
    const data = new FormData();
    data.append('file', file);
    return data;
  }, [file]);
  const preview = useDebouncedPost<DomainListCount>(form ? '/client/audience/domains/count' : null, form, 0);
  const upload = () =>
    run(async () => {
      if (!file) return;
      try {
        onDone(await apiUpload<DomainListAudience>(`/client/orders/${orderId}/audience/domains`, file, setProgress));
        setFile(null); // the answer's figures replace the preview's
        setPicker((n) => n + 1);
      } finally {
        setProgress(null);
      }
    });
  return (
    <div className="space-y-2">
      <label htmlFor="domain-file" className="block text-sm font-medium">
        Domain list (CSV or TXT, one domain a line, or a column headed “domain” or “website”)
      </label>
      <input key={picker} id="domain-file" type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="text-sm" />
      {file ? <AudienceCountNote answer={preview} /> : null}
      {file && preview.data ? <MatchStats stats={preview.data.stats} /> : null}
      <UploadProgress label="Uploading the domain list" progress={progress} />
      <Button tone="primary" disabled={!file || busy} onClick={() => void upload()}>
        Upload and use as audience
      </Button>
    </div>
  );
}

function FieldsForm({ initial, busy, onUse }: { initial?: SimpleFilter; busy: boolean; onUse: (f: SimpleFilter) => void }) {
  const [filter, setFilter] = useState<SimpleFilter>(initial ?? { job_title: '', seniority_level: '', industry: '', country: '' });
  const set = (key: keyof SimpleFilter) => (e: { target: { value: string } }) => setFilter({ ...filter, [key]: e.target.value });
  const count = useDebouncedPost<AudienceCount>(COUNT_PATH, { source: 'filter', filter: toFilter(filter) }, COUNT_DELAY_MS);
  return (
    <div className="space-y-2">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Job title contains" value={filter.job_title} onChange={set('job_title')} maxLength={500} />
        <TextField label="Seniority is" value={filter.seniority_level} onChange={set('seniority_level')} maxLength={500} />
        <TextField label="Industry is" value={filter.industry} onChange={set('industry')} maxLength={500} />
        <TextField label="Country is" value={filter.country} onChange={set('country')} maxLength={500} />
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">Leave a field empty to not narrow by it; all empty means every contact.</p>
      <AudienceCountNote answer={count} />
      <Button tone="primary" disabled={busy} onClick={() => onUse(filter)}>
        Use these contacts
      </Button>
    </div>
  );
}

function SavedSource({ busy, onUse }: { busy: boolean; onUse: (body: unknown) => void }) {
  const [source, setSource] = useState<'segment' | 'list' | 'domain_set'>('segment');
  const [id, setId] = useState('');
  const body = { source, [`${source}_id`]: Number(id) };
  const count = useDebouncedPost<AudienceCount>(id ? COUNT_PATH : null, body, COUNT_DELAY_MS);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="saved-source" className="block text-sm font-medium">
            Kind
          </label>
          <select id="saved-source" value={source} onChange={(e) => setSource(e.target.value as typeof source)} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900">
            <option value="segment">Segment</option>
            <option value="list">List</option>
            <option value="domain_set">Domain set</option>
          </select>
        </div>
        <TextField label="Its number" inputMode="numeric" value={id} onChange={(e) => setId(e.target.value.replace(/\D/g, ''))} />
        <Button tone="primary" disabled={busy || !id} onClick={() => onUse(body)}>
          Use it
        </Button>
      </div>
      {id ? <AudienceCountNote answer={count} /> : null}
    </div>
  );
}

function MatchStats({ stats }: { stats: DomainListAudience['stats'] }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800" data-testid="match-stats">
      <p>{matchSummary(stats)}</p>
      {stats.unmatched.length ? (
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          Not matched: {stats.unmatched.slice(0, 20).join(', ')}
          {stats.unmatched.length > 20 ? ` and ${stats.unmatched.length - 20} more` : ''}
        </p>
      ) : null}
    </div>
  );
}
