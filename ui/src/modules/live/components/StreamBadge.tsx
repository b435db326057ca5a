import type { StreamStatus } from '@/modules/live/types/LiveEvent';

const LOOK: Record<StreamStatus, [string, string]> = {
  open: ['Live', 'bg-emerald-100 text-emerald-800'],
  connecting: ['Connecting…', 'bg-slate-200 text-slate-700'],
  reconnecting: ['Reconnecting…', 'bg-amber-100 text-amber-900'],
};

export function StreamBadge({ status }: { status: StreamStatus }) {
  const [label, look] = LOOK[status];
  return (
    <span
      data-testid="stream-status"
      data-status={status}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${look}`}
    >
      {label}
    </span>
  );
}
