import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { INPUT, Panel } from '@/modules/audience/components/Panel';
import type { ImportEntity, ImportPreview } from '@/modules/audience/types/Import';
import { formatBytes } from '@/modules/audience/utils/download';
import { Button } from '@/modules/ui/components/Button';

type Props = { onUploaded: (preview: ImportPreview, entity: ImportEntity) => void };

/** Step 1: the file (CSV or XLSX), what it holds and how rows are treated. */
export function ImportUpload({ onUploaded }: Props) {
  const [entity, setEntity] = useState<ImportEntity>('contact');
  const [file, setFile] = useState<File | null>(null);
  const [region, setRegion] = useState('');
  const [phonePolicy, setPhonePolicy] = useState('reject');
  const [dedup, setDedup] = useState('skip');
  const [mxLookup, setMxLookup] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const form = new FormData();
    form.append('file', file);
    form.append('entity', entity);
    form.append('phone_policy', phonePolicy);
    form.append('dedup', dedup);
    if (region.trim()) form.append('region', region.trim().toUpperCase());
    if (mxLookup) form.append('mx_lookup', mxLookup);
    try {
      onUploaded(await apiFetch<ImportPreview>('/imports', { method: 'POST', body: form }), entity);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Upload a file">
      <form
        className="grid gap-3 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">The file holds</legend>
          {(['contact', 'account'] as const).map((kind) => (
            <label key={kind} className="mr-4 inline-flex items-center gap-1">
              <input type="radio" name="entity" value={kind} checked={entity === kind} onChange={() => setEntity(kind)} />
              {kind === 'contact' ? 'Contacts' : 'Accounts'}
            </label>
          ))}
        </fieldset>
        <div className="space-y-1 text-sm">
          <label className="flex flex-col gap-1">
            File (CSV or XLSX)
            <input type="file" accept=".csv,.txt,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          {file ? <p data-testid="file-size">{`${file.name} · ${formatBytes(file.size)}`}</p> : null}
        </div>
        <label className="flex flex-col gap-1 text-sm">
          Phone region for numbers without a country code (two letters; empty: the default)
          <input className={INPUT} value={region} maxLength={2} onChange={(e) => setRegion(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          A row with an invalid phone
          <select className={INPUT} value={phonePolicy} onChange={(e) => setPhonePolicy(e.target.value)}>
            <option value="reject">is rejected</option>
            <option value="keep">is imported, its phone marked invalid</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          A row matching an existing {entity}
          <select className={INPUT} value={dedup} onChange={(e) => setDedup(e.target.value)}>
            <option value="skip">is skipped</option>
            <option value="update">overwrites it with the file’s non-empty values</option>
            <option value="merge">fills only its empty fields</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Reject emails whose domain takes no mail (DNS MX lookup)
          <select className={INPUT} value={mxLookup} onChange={(e) => setMxLookup(e.target.value)}>
            <option value="">as the server is set up</option>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        </label>
        <div className="flex items-end">
          <Button type="submit" tone="primary" disabled={!file || busy}>
            {busy ? 'Reading the file…' : 'Upload and preview'}
          </Button>
        </div>
      </form>
      <ApiErrorNote error={error} />
    </Panel>
  );
}
