import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { GroupedReport, ReportQuery } from '@/modules/reports/types/Report';
import type { Row } from '@/modules/reports/utils/reportColumns';
import { reportApiPath } from '@/modules/reports/utils/reportQuery';

/** The report the query names, as rows and (for the grouped KPI reports) a total. */
export function useReport(query: ReportQuery) {
  const resource = useApiResource<GroupedReport<Row> | Row[]>(reportApiPath(query));
  const data = resource.data;
  const rows = data === null ? [] : Array.isArray(data) ? data : data.rows;
  const total = data !== null && !Array.isArray(data) ? data.total : null;
  return { rows, total, loading: resource.loading, error: resource.error, loaded: data !== null };
}
