import type { AudienceSummary } from '@/modules/orders/types/Order';

const SOURCES: Record<string, string> = {
  filter: 'Contacts matching fields',
  segment: 'A segment',
  list: 'A list',
  domain_set: 'A domain list',
};

/** The order's frozen audience: where it came from and how many it holds. */
export function AudienceSummaryView({ audience }: { audience: Partial<AudienceSummary> }) {
  if (!audience.source) return <p className="text-sm text-slate-600 dark:text-slate-400">No audience chosen yet.</p>;
  const name = typeof audience.definition?.name === 'string' ? ` “${audience.definition.name}”` : '';
  return (
    <p className="text-sm" data-testid="audience-summary">
      {SOURCES[audience.source] ?? audience.source}
      {name}: <strong>{audience.contact_count ?? 0}</strong> contacts at <strong>{audience.account_count ?? 0}</strong> accounts
      {audience.snapshot_at ? `, frozen ${new Date(audience.snapshot_at).toLocaleString()}` : ''}.
    </p>
  );
}
