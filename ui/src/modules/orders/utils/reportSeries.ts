import type { CallKpis, EmailKpis, OrderReport } from '@/modules/orders/types/OrderReport';

/** Categories and values for one bar chart. */
export type Series = { categories: string[]; values: number[] };

const QA_LABELS: Record<string, string> = {
  new: 'New',
  under_review: 'Under review',
  approved: 'Approved',
  published: 'Published',
  returned: 'Returned',
  rejected: 'Rejected',
};

export function progressSeries(report: OrderReport): Series {
  return {
    categories: ['Lead goal', 'Approved', 'Remaining'],
    values: [report.lead_goal ?? 0, report.approved, report.remaining ?? 0],
  };
}

/** Leads by QA status in review order; statuses the API adds later come last. */
export function statusSeries(byStatus: Record<string, number>): Series {
  const keys = [...Object.keys(QA_LABELS), ...Object.keys(byStatus).filter((k) => !(k in QA_LABELS))];
  return { categories: keys.map((k) => QA_LABELS[k] ?? k), values: keys.map((k) => byStatus[k] ?? 0) };
}

export function callSeries(kpis: CallKpis): Series {
  return {
    categories: ['Dials', 'Connects', 'Leads', 'Approved'],
    values: [kpis.attempts, kpis.connects, kpis.leads, kpis.approved],
  };
}

export function emailSeries(kpis: EmailKpis): Series {
  return {
    categories: ['Sent', 'Delivered', 'Opened', 'Clicked', 'Bounced', 'Unsubscribed'],
    values: [kpis.sent, kpis.delivered, kpis.unique_opens, kpis.unique_clicks, kpis.bounces, kpis.unsubscribes],
  };
}

export function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${Math.round(ratio * 1000) / 10}%`;
}
