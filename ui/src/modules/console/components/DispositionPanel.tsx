import type { DispositionOption } from '@/modules/console/types/ConsoleKit';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

type Props = {
  dispositions: DispositionOption[];
  enabled: boolean;
  busy: boolean;
  wrapUpDeadline: number | null;
  now: number;
  onChoose: (disposition: DispositionOption) => void;
};

const RULE_TONE: Partial<Record<DispositionOption['rule'], string>> = {
  qualified: 'border-emerald-600 text-emerald-800 hover:bg-emerald-50',
  callback: 'border-sky-600 text-sky-800 hover:bg-sky-50',
  dnc: 'border-rose-600 text-rose-800 hover:bg-rose-50',
};

export function DispositionPanel({ dispositions, enabled, busy, wrapUpDeadline, now, onChoose }: Props) {
  const left = wrapUpDeadline === null ? null : Math.max(0, (wrapUpDeadline - now) / 1000);
  return (
    <section aria-labelledby="dispositions-title" className="rounded-lg bg-white p-4 shadow-sm">
      <h2 id="dispositions-title" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
        Disposition
      </h2>
      {left !== null ? (
        <div
          data-testid="wrap-up"
          role="timer"
          aria-live="off"
          className={`mb-2 rounded-md px-2 py-1 text-sm font-medium ${left > 0 ? 'bg-amber-100 text-amber-900' : 'bg-rose-100 text-rose-900'}`}
        >
          {left > 0 ? `Wrap-up: ${formatDuration(left)} left` : 'Wrap-up time is over: choose a disposition'}
        </div>
      ) : (
        <p className="mb-2 text-xs text-slate-500">
          {enabled ? 'Choose how the call ended.' : 'Available after the call, during wrap-up.'}
        </p>
      )}
      <div className="grid grid-cols-2 gap-2">
        {dispositions.map((disposition) => (
          <button
            key={disposition.code}
            type="button"
            disabled={!enabled || busy}
            aria-keyshortcuts={disposition.shortcut ?? undefined}
            data-code={disposition.code}
            onClick={() => onChoose(disposition)}
            className={`flex items-center justify-between rounded-md border px-2 py-1.5 text-left text-sm font-medium disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-400 ${RULE_TONE[disposition.rule] ?? 'border-slate-400 text-slate-800 hover:bg-slate-50'}`}
          >
            {disposition.label}
            {disposition.shortcut ? (
              <kbd className="rounded border border-current/40 px-1 font-mono text-xs">{disposition.shortcut}</kbd>
            ) : null}
          </button>
        ))}
      </div>
    </section>
  );
}
