import { Dialog } from '@/modules/console/components/Dialog';
import { Button } from '@/modules/ui/components/Button';

type Props = { title: string; message: string; confirm: string; busy: boolean; onConfirm: () => void; onCancel: () => void };

/** Asks before a change that others will see (links, status). */
export function ConfirmDialog({ title, message, confirm, busy, onConfirm, onCancel }: Props) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <p className="text-sm">{message}</p>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" disabled={busy} onClick={onConfirm}>
          {confirm}
        </Button>
      </div>
    </Dialog>
  );
}
