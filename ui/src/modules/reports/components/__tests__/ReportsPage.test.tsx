import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ReportsPage } from '@/modules/reports/components/ReportsPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const USER = { id: 2, email: 'manager@demo.pivotal.dev', full_name: 'Manager', role: 'campaign_manager' as const, client_id: null };

const kpis = (key: number | null, label: string | null, attempts: number, connects: number) => ({
  key, label, attempts, connects, connect_rate: attempts ? connects / attempts : null, talk_seconds: 90, avg_talk_seconds: 45,
  dispositions: {}, leads: 1, approved: 0, leads_by_status: {}, conversion_rate: 0.5,
});

function backend() {
  return fakeApi({
    'GET /reports/telemarketing': { group_by: 'agent', rows: [kpis(5, 'Agent1', 8, 2), kpis(null, null, 1, 0)], total: kpis(null, null, 9, 2) },
    'GET /campaigns': { items: [{ id: 1, kind: 'call', name: 'Acme Q1 IT outreach', status: 'running', client_id: null, settings: {} }], next_cursor: null },
  });
}

function renderAt(query: string) {
  const navigate = vi.fn();
  render(<ReportsPage user={USER} params={{}} query={new URLSearchParams(query)} navigate={navigate} />);
  return navigate;
}

beforeEach(() => signInAs('campaign_manager', 'Manager'));

describe('ReportsPage', () => {
  it('loads the report the URL names and shows its rows, total and chart', async () => {
    const spy = backend();
    renderAt('report=telemarketing&by=agent&from=2026-01-01&campaign=1');
    const table = await screen.findByTestId('report-table');
    expect(within(table).getByRole('rowheader', { name: 'Agent1' })).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: '(none)' })).toBeInTheDocument();
    expect(within(screen.getByTestId('report-total')).getByTestId('total-attempts')).toHaveTextContent('9');
    expect(within(table).getAllByTestId('cell-connect_rate')[0]).toHaveTextContent('25.0%');
    expect(screen.getByRole('img', { name: 'Chart: Telemarketing by agent' })).toBeInTheDocument();
    const [call] = spy.mock.calls.map(([input]) => String(input)).filter((u) => u.includes('/reports/'));
    expect(call).toContain('group_by=agent');
    expect(call).toContain('date_from=2026-01-01');
    expect(call).toContain('campaign_id=1');
  });

  it('puts every filter change in the URL', async () => {
    backend();
    const user = userEvent.setup();
    const navigate = renderAt('report=telemarketing&by=agent');
    await screen.findByTestId('report-table');
    await user.selectOptions(screen.getByLabelText('Group by'), 'day');
    expect(navigate).toHaveBeenLastCalledWith('/reports?report=telemarketing&by=day');
    await user.click(screen.getByRole('tab', { name: 'ABM coverage' }));
    expect(navigate).toHaveBeenLastCalledWith('/reports?report=coverage&by=agent');
    await user.selectOptions(screen.getByLabelText('Campaigns'), ['1']);
    expect(navigate).toHaveBeenLastCalledWith('/reports?report=telemarketing&by=agent&campaign=1');
  });

  it('downloads the report as the filters give it', async () => {
    const spy = fakeApi({
      'GET /reports/telemarketing': { group_by: 'campaign', rows: [], total: kpis(null, null, 0, 0) },
      'GET /campaigns': { items: [], next_cursor: null },
      'GET /reports/telemarketing.csv': new Response('campaign,attempts\n', { headers: { 'Content-Disposition': 'attachment; filename="telemarketing-report.csv"' } }),
    });
    URL.createObjectURL = vi.fn(() => 'blob:report');
    URL.revokeObjectURL = vi.fn();
    // jsdom cannot follow the link; record which file it would save
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const user = userEvent.setup();
    renderAt('report=telemarketing');
    expect(await screen.findByText('Nothing in this period.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(requestsTo(spy, 'GET', '/reports/telemarketing.csv')).toHaveLength(1);
    await vi.waitFor(() => expect(saved).toEqual(['telemarketing-report.csv']));
  });
});
