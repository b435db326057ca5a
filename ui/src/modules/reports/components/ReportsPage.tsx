import { useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiDownload } from '@/modules/api/utils/apiDownload';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignSummary, Page } from '@/modules/console/types/CampaignSummary';
import { ReportChart } from '@/modules/reports/components/ReportChart';
import { ReportFilters } from '@/modules/reports/components/ReportFilters';
import { ReportTable } from '@/modules/reports/components/ReportTable';
import { useReport } from '@/modules/reports/hooks/useReport';
import type { ReportKind, ReportQuery } from '@/modules/reports/types/Report';
import { parseReportQuery, reportApiPath, reportRoute } from '@/modules/reports/utils/reportQuery';
import { Button } from '@/modules/ui/components/Button';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

const TABS: [ReportKind, string][] = [
  ['telemarketing', 'Telemarketing'],
  ['email', 'Email'],
  ['coverage', 'ABM coverage'],
];
const GROUP_LABEL = { campaign: 'Campaign', agent: 'Agent', day: 'Day', domain: 'Account domain' };

/** KPI dashboards: telemarketing and email by campaign, agent, day or domain, ABM coverage. */
export function ReportsPage({ query: hashQuery, navigate }: ScreenProps) {
  const query = parseReportQuery(hashQuery);
  const go = (next: ReportQuery) => navigate(reportRoute(next));
  const report = useReport(query);
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?limit=200');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const groupLabel = query.report === 'coverage' ? 'Campaign' : GROUP_LABEL[query.by];
  const title = `${TABS.find(([k]) => k === query.report)?.[1]} by ${groupLabel.toLowerCase()}`;

  const download = async (ext: 'csv' | 'xlsx') => {
    setDownloadError(null);
    try {
      await apiDownload(reportApiPath(query, ext), `${query.report}-report.${ext}`);
    } catch (caught) {
      setDownloadError(caught instanceof ApiError ? caught.message : 'The server cannot be reached.');
    }
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold">Reports</h1>
        <div role="tablist" aria-label="Report" className="flex gap-1">
          {TABS.map(([kind, label]) => (
            <button
              key={kind}
              type="button"
              role="tab"
              aria-selected={query.report === kind}
              onClick={() => go({ ...query, report: kind })}
              className="rounded px-3 py-1 text-sm font-medium hover:bg-slate-200 aria-selected:bg-sky-700 aria-selected:text-white dark:hover:bg-slate-800"
            >
              {label}
            </button>
          ))}
        </div>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => void download('csv')}>Export CSV</Button>
          <Button onClick={() => void download('xlsx')}>Export XLSX</Button>
        </div>
      </div>
      <div className="rounded-lg bg-white p-3 shadow-sm dark:bg-slate-900">
        <ReportFilters query={query} campaigns={campaigns.data?.items ?? []} onChange={go} />
      </div>
      {report.error || downloadError || campaigns.error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
          {downloadError ?? report.error?.message ?? campaigns.error?.message}
        </p>
      ) : null}
      <ErrorBoundary area="The report">
        <section aria-labelledby="report-title" className="space-y-3 rounded-lg bg-white p-3 shadow-sm dark:bg-slate-900" aria-busy={report.loading}>
          <h2 id="report-title" className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">
            {title}
          </h2>
          {!report.loaded && report.loading ? <p className="text-sm">Loading…</p> : null}
          {report.rows.length ? <ReportChart report={query.report} rows={report.rows} title={`Chart: ${title}`} /> : null}
          {report.loaded ? (
            <div className="overflow-x-auto">
              <ReportTable report={query.report} groupLabel={groupLabel} rows={report.rows} total={report.total} caption={title} />
            </div>
          ) : null}
        </section>
      </ErrorBoundary>
    </div>
  );
}
