import type { ReactNode } from 'react';

import { Dialog } from '@/modules/console/components/Dialog';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  title: string;
  confirm: string;
  busy?: boolean;
  /** `danger` for what cannot be undone (a removal, a revocation); `primary` for a change others will see. */
  tone?: 'danger' | 'primary';
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
};

/** Asks before a change: a removal, a revocation, a link others will see. */
export function ConfirmDialog({ title, confirm, busy = false, tone = 'danger', onConfirm, onCancel, children }: Props) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <div className="space-y-4 text-sm text-slate-800 dark:text-slate-100">{children}</div>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone={tone} disabled={busy} onClick={onConfirm}>
          {confirm}
        </Button>
      </div>
    </Dialog>
  );
}
