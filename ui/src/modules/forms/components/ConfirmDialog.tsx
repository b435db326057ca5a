import type { ReactNode } from 'react';

import { Dialog } from '@/modules/console/components/Dialog';
import { Button } from '@/modules/ui/components/Button';

type Props = { title: string; confirm: string; busy?: boolean; onConfirm: () => void; onCancel: () => void; children: ReactNode };

/** Asks before something that cannot be undone (a removal, a revocation). */
export function ConfirmDialog({ title, confirm, busy = false, onConfirm, onCancel, children }: Props) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <div className="space-y-4 text-sm text-slate-800">{children}</div>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="danger" disabled={busy} onClick={onConfirm}>
          {confirm}
        </Button>
      </div>
    </Dialog>
  );
}
