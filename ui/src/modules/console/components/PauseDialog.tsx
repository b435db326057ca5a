import { Dialog } from '@/modules/console/components/Dialog';
import { PAUSE_REASONS } from '@/modules/console/utils/shortcuts';

type Props = { onPick: (reason: string) => void; onClose: () => void };

export function PauseDialog({ onPick, onClose }: Props) {
  return (
    <Dialog
      title="Pause: choose a reason"
      onClose={onClose}
      onKey={(event) => {
        const index = Number(event.key) - 1;
        if (Number.isInteger(index) && PAUSE_REASONS[index]) {
          event.preventDefault();
          onPick(PAUSE_REASONS[index].code);
        }
      }}
    >
      <ul className="space-y-2">
        {PAUSE_REASONS.map((reason, index) => (
          <li key={reason.code}>
            <button
              type="button"
              className="flex w-full items-center justify-between rounded-md border border-slate-300 px-3 py-2 text-left hover:bg-slate-100"
              onClick={() => onPick(reason.code)}
            >
              {reason.label}
              <kbd className="rounded border px-1 font-mono text-xs">{index + 1}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
