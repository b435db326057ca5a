import { useState } from 'react';

import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import type { ExportSource } from '@/modules/audience/types/Audience';
import { downloadFile } from '@/modules/audience/utils/download';
import { Button } from '@/modules/ui/components/Button';

/** Downloads the contacts of a segment, a list or a filter as CSV or XLSX. */
export function ExportButtons({ source, disabled = false }: { source: ExportSource; disabled?: boolean }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (fmt: 'csv' | 'xlsx') => {
    setBusy(fmt);
    setError(null);
    try {
      if ('filter' in source) {
        await downloadFile(`/exports/contacts.${fmt}`, `contacts.${fmt}`, { method: 'POST', body: { filter: source.filter } });
      } else {
        const query = 'segmentId' in source ? `segment_id=${source.segmentId}` : `list_id=${source.listId}`;
        await downloadFile(`/exports/contacts.${fmt}?${query}`, `contacts.${fmt}`);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="space-y-1">
      <div className="flex gap-2">
        {(['csv', 'xlsx'] as const).map((fmt) => (
          <Button key={fmt} disabled={disabled || busy !== null} onClick={() => void run(fmt)}>
            {busy === fmt ? 'Exporting…' : `Export ${fmt.toUpperCase()}`}
          </Button>
        ))}
      </div>
      <ApiErrorNote error={error} />
    </div>
  );
}
