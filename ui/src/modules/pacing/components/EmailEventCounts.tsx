/** The event kinds every campaign shows, in reading order, with their labels. */
const KINDS: [string, string][] = [
  ['delivered', 'Delivered'],
  ['open', 'Opens'],
  ['click', 'Clicks'],
  ['reply', 'Replies'],
  ['auto_reply', 'Auto-replies'],
  ['bounce', 'Bounces'],
  ['soft_bounce', 'Soft bounces'],
  ['complaint', 'Complaints'],
  ['unsubscribe', 'Unsubscribes'],
];
const LABELS = new Map(KINDS);
const WARNING = new Set(['bounce', 'complaint', 'unsubscribe']);

function label(kind: string): string {
  return LABELS.get(kind) ?? kind.replace(/_/g, ' ');
}

/** The campaign's email events by kind (tracking, webhooks, bounce and reply mail), one compact row. */
export function EmailEventCounts({ events }: { events: Record<string, number> }) {
  const extra = Object.keys(events).filter((kind) => !LABELS.has(kind) && events[kind] > 0).sort();
  const kinds = [...KINDS.map(([kind]) => kind), ...extra];
  return (
    <section aria-label="Email events" data-testid="email-events">
      <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-300">Events</h3>
      <ul className="flex flex-wrap gap-1.5 text-xs">
        {kinds.map((kind) => {
          const count = events[kind] ?? 0;
          const alarming = WARNING.has(kind) && count > 0;
          return (
            <li
              key={kind}
              data-testid={`event-${kind}`}
              className={`rounded-full px-2 py-0.5 ${
                alarming
                  ? 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100'
                  : 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100'
              }`}
            >
              {label(kind)} <strong className="tabular-nums">{count}</strong>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
