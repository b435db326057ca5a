import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { INPUT, Panel, ROW_BUTTON } from '@/modules/audience/components/Panel';
import type { CampaignSummary, DomainSet, Page, Segment } from '@/modules/audience/types/Audience';
import { formatBytes } from '@/modules/audience/utils/download';
import type { User } from '@/modules/auth/types/Session';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { Button } from '@/modules/ui/components/Button';

const HERE = '/audience/domain-sets';
const UNMATCHED_SHOWN = 500;

/** Domain lists (ABM): upload, match rate against accounts, unmatched domains, make a
 * segment, assign to a campaign (`?set=<id>`). */
export function DomainSetsPage({ query, navigate, user }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const sets = useApiResource<Page<DomainSet>>('/domain-sets?limit=500', version);
  const selected = query.get('set');
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Domain sets</h1>
      <div className="grid gap-3 lg:grid-cols-[20rem_1fr]">
        <div className="space-y-3">
          <DomainUpload
            onUploaded={(created) => {
              setVersion((v) => v + 1);
              navigate(`${HERE}?set=${created.id}`);
            }}
          />
          <Panel title="Uploaded domain sets">
            <ApiErrorNote error={sets.error} />
            {sets.data?.items.length === 0 ? <p className="text-sm">None yet.</p> : null}
            <ul className="space-y-1">
              {sets.data?.items.map((set) => (
                <li key={set.id}>
                  <button type="button" className={ROW_BUTTON} aria-current={String(set.id) === selected} onClick={() => navigate(`${HERE}?set=${set.id}`)}>
                    <span className="block font-medium">{set.name}</span>
                    <span className="text-xs text-slate-600 dark:text-slate-300">
                      {set.stats.unique.toLocaleString()} domains · {percent(set.stats.match_rate)} matched
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </Panel>
        </div>
        {selected ? (
          <DomainSetDetail key={selected} id={Number(selected)} user={user} navigate={navigate} />
        ) : (
          <p className="self-start rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">Upload a CSV or TXT of domains, or open a set.</p>
        )}
      </div>
    </div>
  );
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)} %`;
}

function DomainUpload({ onUploaded }: { onUploaded: (created: DomainSet) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.append('file', file);
    if (name.trim()) form.append('name', name.trim());
    try {
      onUploaded(await apiFetch<DomainSet>('/domain-sets', { method: 'POST', body: form }));
      setFile(null);
      setName('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Upload domains">
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          File (CSV or TXT, one domain per line)
          <input type="file" accept=".csv,.txt,text/csv,text/plain" className="text-sm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        {file ? <p className="text-xs">{`${file.name} · ${formatBytes(file.size)}`}</p> : null}
        <label className="flex flex-col gap-1 text-sm">
          Name (optional)
          <input className={INPUT} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <Button type="submit" tone="primary" disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Upload and match'}
        </Button>
        <ApiErrorNote error={error} />
      </form>
    </Panel>
  );
}

function DomainSetDetail({ id, user, navigate }: { id: number; user: User; navigate: (to: string) => void }) {
  const found = useApiResource<DomainSet>(`/domain-sets/${id}`);
  const [segmentName, setSegmentName] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!found.data) return found.error ? <ApiErrorNote error={found.error} /> : <p className="text-sm">Loading…</p>;
  const { stats } = found.data;
  const toSegment = async () => {
    setError(null);
    try {
      const body = segmentName.trim() ? { name: segmentName.trim() } : {};
      const segment = await apiFetch<Segment>(`/domain-sets/${id}/to-segment`, { method: 'POST', body });
      navigate(`/audience/segments?segment=${segment.id}`);
    } catch (caught) {
      setError(caught);
    }
  };
  const figures: [string, number | string][] = [
    ['Lines read', stats.total],
    ['Valid', stats.valid],
    ['Invalid', stats.invalid],
    ['Unique domains', stats.unique],
    ['Duplicates', stats.duplicates],
    ['Matched accounts', stats.matched],
    ['Match rate', percent(stats.match_rate)],
    ['Contacts at matched accounts', stats.contacts],
  ];
  return (
    <Panel title={`Domain set: ${found.data.name}`}>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {figures.map(([term, value]) => (
          <div key={term} className="rounded border border-slate-200 p-2 dark:border-slate-700">
            <dt className="text-xs text-slate-600 dark:text-slate-300">{term}</dt>
            <dd className="text-lg font-semibold">{typeof value === 'number' ? value.toLocaleString() : value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-3 md:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold">Unmatched domains ({stats.unmatched.length.toLocaleString()})</h3>
          {stats.unmatched.length === 0 ? (
            <p className="text-sm">Every domain matched an account.</p>
          ) : (
            <ul className="max-h-48 overflow-auto rounded border border-slate-200 p-2 font-mono text-xs dark:border-slate-700" tabIndex={0} aria-label="Unmatched domains">
              {stats.unmatched.slice(0, UNMATCHED_SHOWN).map((domain) => (
                <li key={domain}>{domain}</li>
              ))}
              {stats.unmatched.length > UNMATCHED_SHOWN ? <li>… and {stats.unmatched.length - UNMATCHED_SHOWN} more</li> : null}
            </ul>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold">Invalid lines ({stats.invalid_lines.length})</h3>
          {stats.invalid_lines.length === 0 ? (
            <p className="text-sm">None.</p>
          ) : (
            <ul className="max-h-48 overflow-auto rounded border border-slate-200 p-2 text-xs dark:border-slate-700" tabIndex={0} aria-label="Invalid lines">
              {stats.invalid_lines.map((line) => (
                <li key={line.line}>
                  line {line.line}: <code>{line.value}</code> — {line.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void toSegment();
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          Segment name (optional)
          <input className={INPUT} value={segmentName} maxLength={200} onChange={(e) => setSegmentName(e.target.value)} />
        </label>
        <Button type="submit" tone="primary" disabled={found.data.domains.length === 0}>
          Convert to segment
        </Button>
      </form>
      <ApiErrorNote error={error} />
      {user.role === 'admin' || user.role === 'campaign_manager' ? <AssignToCampaign id={id} /> : null}
    </Panel>
  );
}

function AssignToCampaign({ id }: { id: number }) {
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?limit=500');
  const open = campaigns.data?.items.filter((c) => c.status === 'draft' || c.status === 'scheduled') ?? [];
  const [campaignId, setCampaignId] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const assign = async () => {
    setError(null);
    setNote(null);
    try {
      const campaign = await apiFetch<CampaignSummary>(`/domain-sets/${id}/assign`, { method: 'POST', body: { campaign_id: Number(campaignId) } });
      setNote(`“${campaign.name}” now calls the contacts of these domains.`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void assign();
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        Assign as the audience of a campaign (draft or scheduled)
        <select className={INPUT} value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
          <option value="">{open.length ? 'choose a campaign…' : 'no draft or scheduled campaign'}</option>
          {open.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.kind}, {c.status})
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" disabled={!campaignId}>
        Assign
      </Button>
      {note ? <p role="status" className="basis-full text-sm text-emerald-800 dark:text-emerald-300">{note}</p> : null}
      <div className="basis-full">
        <ApiErrorNote error={error ?? campaigns.error} />
      </div>
    </form>
  );
}
