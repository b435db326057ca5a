import { describe, expect, it } from 'vitest';

import { parseReportQuery, percent, reportApiPath, reportRoute } from '@/modules/reports/utils/reportQuery';

describe('reportQuery', () => {
  it('round-trips through the URL and drops what it does not know', () => {
    const query = parseReportQuery(new URLSearchParams('report=email&by=agent&from=2026-01-01&to=bad&campaign=3,x,4'));
    // emails have no agent grouping
    expect(query).toEqual({ report: 'email', by: 'campaign', from: '2026-01-01', to: '', campaigns: [3, 4] });
    expect(reportRoute(query)).toBe('/reports?report=email&by=campaign&from=2026-01-01&campaign=3%2C4');
    expect(parseReportQuery(new URLSearchParams(reportRoute(query).split('?')[1]))).toEqual(query);
  });

  it('names the API report and its download with the filters as parameters', () => {
    const query = parseReportQuery(new URLSearchParams('report=telemarketing&by=domain&to=2026-02-01&campaign=7,8'));
    const path = reportApiPath(query, 'xlsx');
    expect(path.startsWith('/reports/telemarketing.xlsx?group_by=domain&date_to=2026-02-01&tz=')).toBe(true);
    expect(path.endsWith('&campaign_id=7&campaign_id=8')).toBe(true);
    expect(reportApiPath(parseReportQuery(new URLSearchParams('report=coverage')))).toMatch(/^\/reports\/abm\/coverage\?by=campaign&tz=/);
  });

  it('shows rates as percentages', () => {
    expect(percent(0.4567)).toBe('45.7%');
    expect(percent(null)).toBe('–');
  });
});
