import { fillPlaceholders } from '@/modules/console/utils/fillPlaceholders';

type Props = { script: string; context: Record<string, unknown> };

export function ScriptPanel({ script, context }: Props) {
  const parts = fillPlaceholders(script, context);
  return (
    <section aria-labelledby="script-title" className="rounded-lg bg-white p-4 shadow-sm">
      <h2 id="script-title" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
        Script
      </h2>
      <p data-testid="script" className="text-lg leading-relaxed">
        {parts.map((part, index) =>
          part.filled ? (
            <mark
              key={index}
              className={part.missing ? 'rounded bg-rose-100 px-0.5 text-rose-800' : 'rounded bg-sky-100 px-0.5 text-sky-900'}
            >
              {part.text}
            </mark>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </p>
    </section>
  );
}
