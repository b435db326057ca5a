import { Dialog } from '@/modules/console/components/Dialog';

type Props = { phone: string; onConfirm: () => void; onClose: () => void };

/** Do-not-call takes effect everywhere at once, so it is confirmed first (Y or Enter). */
export function DncDialog({ phone, onConfirm, onClose }: Props) {
  return (
    <Dialog
      title="Add to do-not-call?"
      onClose={onClose}
      onKey={(event) => {
        if (event.key === 'y' || event.key === 'Y') {
          event.preventDefault();
          onConfirm();
        }
      }}
    >
      <p className="text-sm">
        <span className="font-mono">{phone}</span> will never be called again by any campaign, starting
        now.
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" onClick={onClose} className="rounded-md border px-3 py-1.5 text-sm">
          Cancel <kbd className="font-mono text-xs">Esc</kbd>
        </button>
        <button
          type="button"
          autoFocus
          onClick={onConfirm}
          className="rounded-md bg-rose-700 px-3 py-1.5 text-sm font-medium text-white"
        >
          Add to do-not-call <kbd className="font-mono text-xs">Y</kbd>
        </button>
      </div>
    </Dialog>
  );
}
