import { useMemo } from 'react';

import { NotFoundPage } from '@/modules/app/components/NotFoundPage';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { DataTable } from '@/modules/forms/components/DataTable';
import { apiDownload } from '@/modules/api/utils/apiDownload';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import type { Order } from '@/modules/orders/types/Order';
import type { OrderReport } from '@/modules/orders/types/OrderReport';
import { callSeries, emailSeries, percent, progressSeries, statusSeries } from '@/modules/orders/utils/reportSeries';
import { BarChart } from '@/modules/ui/components/BarChart';
import { Button } from '@/modules/ui/components/Button';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

const CARD = 'rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900';

/** An order's report (`/orders/:id`): progress, leads by QA status, KPIs, downloads. */
export function OrderReportPage({ params, navigate }: ScreenProps) {
  const id = Number(params.id);
  const order = useApiResource<Order>(`/client/orders/${id}`);
  const report = useApiResource<OrderReport>(`/client/orders/${id}/report`);
  const download = useAction();
  if (order.error?.status === 404 || report.error?.status === 404) return <NotFoundPage />;
  if (!order.data || !report.data) {
    const error = order.error ?? report.error;
    return error ? <ErrorNote error={error} /> : <p>Loading the report…</p>;
  }
  const o = order.data;
  const r = report.data;
  return (
    <div className="space-y-4">
      <section className={CARD} aria-labelledby="report-title">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="report-title" className="text-lg font-semibold">
            {o.title}
          </h1>
          <OrderStatusBadge status={o.status} />
          <span className="text-sm text-slate-600 dark:text-slate-400">
            {o.kind} · {o.client_name}
          </span>
          <span className="ml-auto flex gap-2">
            {o.status === 'draft' ? (
              <Button tone="primary" onClick={() => navigate(`/orders/${id}/edit`)}>
                Continue the order
              </Button>
            ) : null}
            <Button onClick={() => void download.run(() => apiDownload(`/client/orders/${id}/leads.csv`, `order-${id}-leads.csv`))}>
              Download approved leads (CSV)
            </Button>
            <Button onClick={() => void download.run(() => apiDownload(`/client/orders/${id}/leads.xlsx`, `order-${id}-leads.xlsx`))}>
              Download approved leads (XLSX)
            </Button>
          </span>
        </div>
        <ErrorNote error={download.error} />
        <p className="mt-2 text-sm" data-testid="progress-text">
          <strong>{r.approved}</strong> approved lead{r.approved === 1 ? '' : 's'}
          {r.lead_goal ? ` of ${r.lead_goal} (${percent(r.progress)})` : ''}
          {r.campaigns.length === 0 ? '. Our operations team has not started a campaign for this order yet.' : '.'}
        </p>
        {r.lead_goal ? (
          <progress aria-label="Progress against the lead goal" className="mt-1 h-2 w-full accent-emerald-700" max={r.lead_goal} value={Math.min(r.approved, r.lead_goal)} />
        ) : null}
      </section>
      <ErrorBoundary area="The charts">
        <ReportCharts report={r} />
      </ErrorBoundary>
      <CampaignTable report={r} />
    </div>
  );
}

function ReportCharts({ report }: { report: OrderReport }) {
  const charts = useMemo(
    () => [
      { title: 'Progress against the lead goal', series: progressSeries(report), color: '#047857' },
      { title: 'Leads by QA status', series: statusSeries(report.leads_by_status), color: '#0369a1' },
      { title: 'Telemarketing', series: callSeries(report.telemarketing), color: '#7c3aed' },
      { title: 'Email', series: emailSeries(report.email), color: '#b45309' },
    ],
    [report],
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {charts.map((c) => (
        <section key={c.title} className={CARD} data-testid={`chart-${c.title}`}>
          <BarChart title={c.title} categories={c.series.categories} values={c.series.values} color={c.color} />
        </section>
      ))}
      <section className={`${CARD} text-sm lg:col-span-2`} aria-label="Rates">
        Connect rate {percent(report.telemarketing.connect_rate)} · leads per connect {percent(report.telemarketing.conversion_rate)} · delivery rate{' '}
        {percent(report.email.delivery_rate)} · open rate {percent(report.email.open_rate)} · click rate {percent(report.email.ctr)}
      </section>
    </div>
  );
}

function CampaignTable({ report }: { report: OrderReport }) {
  if (!report.campaigns.length) return null;
  return (
    <section className={CARD} aria-labelledby="campaigns-title">
      <h2 id="campaigns-title" className="mb-2 text-sm font-semibold">
        Campaigns working on this order
      </h2>
      <DataTable
        caption="Campaigns working on this order"
        columns={[
          { header: 'Campaign', cell: (c) => c.name },
          { header: 'Type', cell: (c) => c.kind },
          { header: 'Status', cell: (c) => c.status },
          { header: 'Dials', cell: (c) => c.telemarketing.attempts, className: 'tabular-nums' },
          { header: 'Emails sent', cell: (c) => c.email.sent, className: 'tabular-nums' },
          { header: 'Approved leads', cell: (c) => <span data-testid={`campaign-approved-${c.campaign_id}`}>{c.approved}</span>, className: 'tabular-nums' },
        ]}
        rows={report.campaigns}
        rowKey={(c) => c.campaign_id}
      />
    </section>
  );
}
