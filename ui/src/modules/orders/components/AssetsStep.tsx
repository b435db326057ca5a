import { useState } from 'react';

import { apiDownload } from '@/modules/api/utils/apiDownload';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { apiUpload, type UploadProgress as Progress } from '@/modules/api/utils/apiUpload';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { UploadProgress } from '@/modules/orders/components/UploadProgress';
import type { Asset, Order } from '@/modules/orders/types/Order';
import { formatBytes } from '@/modules/orders/utils/formatBytes';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

/** Creative assets: upload with a progress bar, download and remove. */
export function AssetsStep({ order, onSaved }: { order: Order; onSaved: () => void }) {
  const [version, setVersion] = useState(0);
  const assets = useApiResource<Asset[]>(`/client/orders/${order.id}/assets`, version);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const { busy, error, run } = useAction();
  const base = `/client/orders/${order.id}/assets`;
  const changed = () => {
    setVersion((v) => v + 1);
    onSaved();
  };
  const upload = () =>
    run(async () => {
      if (!file) return;
      try {
        await apiUpload<Asset>(base, file, setProgress);
        setFile(null);
        changed();
      } finally {
        setProgress(null);
      }
    });
  const items = assets.data ?? [];
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT. {order.kind === 'telemarketing' ? 'Optional for telemarketing orders.' : 'Email orders need at least one.'}
      </p>
      <div className="space-y-2">
        <label htmlFor="asset-file" className="block text-sm font-medium">
          File to upload
        </label>
        <input key={version} id="asset-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="text-sm" />
        <UploadProgress label="Uploading" progress={progress} />
        <Button tone="primary" disabled={!file || busy} onClick={() => void upload()}>
          Upload
        </Button>
      </div>
      <ErrorNote error={error ?? assets.error} withFields />
      {assets.loading && !assets.data ? <p className="text-sm">Loading the assets…</p> : null}
      {assets.data && items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No assets yet.</p> : null}
      {items.length ? (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-700 dark:border-slate-700" aria-label="Uploaded assets">
          {items.map((a) => (
            <li key={a.id} className="flex items-center gap-3 px-3 py-2 text-sm">
              <span className="flex-1 truncate">{a.filename}</span>
              <span className="text-slate-600 dark:text-slate-400">
                {a.kind.toUpperCase()}, {formatBytes(a.size_bytes)}
              </span>
              <Button onClick={() => void run(() => apiDownload(`${base}/${a.id}`, a.filename))} aria-label={`Download ${a.filename}`}>
                Download
              </Button>
              <Button
                tone="danger"
                disabled={busy}
                aria-label={`Remove ${a.filename}`}
                onClick={() => void run(async () => {
                  await apiFetch(`${base}/${a.id}`, { method: 'DELETE' });
                  changed();
                })}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
