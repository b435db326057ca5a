import type { ReportKind } from '@/modules/reports/types/Report';
import { percent } from '@/modules/reports/utils/reportQuery';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

export type Row = Record<string, unknown> & { key: number | string | null; label: string | null };
export type Column = { key: string; label: string; format: (row: Row) => string };

const count = (key: string, label: string): Column => ({ key, label, format: (row) => String(row[key] ?? 0) });
const rate = (key: string, label: string): Column => ({
  key,
  label,
  format: (row) => percent((row[key] as number | null) ?? null),
});
const duration = (key: string, label: string): Column => ({
  key,
  label,
  format: (row) => (row[key] === null ? '–' : formatDuration(Number(row[key]))),
});

/** The table's columns of each report, after the group's label. */
export const COLUMNS: Record<ReportKind, Column[]> = {
  telemarketing: [
    count('attempts', 'Attempts'),
    count('connects', 'Connects'),
    rate('connect_rate', 'Connect rate'),
    duration('talk_seconds', 'Talk time'),
    duration('avg_talk_seconds', 'Avg talk'),
    count('leads', 'Leads'),
    count('approved', 'Approved'),
    rate('conversion_rate', 'Conversion'),
  ],
  email: [
    count('sent', 'Sent'),
    count('delivered', 'Delivered'),
    count('unique_opens', 'Opened'),
    count('unique_clicks', 'Clicked'),
    count('bounces', 'Bounces'),
    count('complaints', 'Complaints'),
    count('unsubscribes', 'Unsubscribes'),
    rate('delivery_rate', 'Delivery rate'),
    rate('open_rate', 'Open rate'),
    rate('ctr', 'CTR'),
  ],
  coverage: [
    count('accounts_targeted', 'Accounts targeted'),
    count('accounts_reached', 'Accounts reached'),
    rate('coverage', 'Coverage'),
  ],
};

/** The counts the chart draws as nested bars, the widest first. */
export const CHART_SERIES: Record<ReportKind, [string, string, string][]> = {
  telemarketing: [
    ['attempts', 'Attempts', '#0369a1'],
    ['connects', 'Connects', '#059669'],
    ['leads', 'Leads', '#d97706'],
  ],
  email: [
    ['sent', 'Sent', '#0369a1'],
    ['unique_opens', 'Opened', '#059669'],
    ['unique_clicks', 'Clicked', '#d97706'],
  ],
  coverage: [
    ['accounts_targeted', 'Accounts targeted', '#0369a1'],
    ['accounts_reached', 'Accounts reached', '#059669'],
  ],
};

export function rowLabel(row: Row): string {
  if (row.label) return row.label;
  return row.key === null ? '(none)' : String(row.key);
}
