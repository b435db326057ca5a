import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { User } from '@/modules/auth/types/Session';
import { QaPage } from '@/modules/qa/components/QaPage';
import type { LeadDetail } from '@/modules/qa/types/LeadDetail';
import type { QaLead, QaStatus } from '@/modules/qa/types/QaLead';
import { FakeSocket, fakeApi, installFakeSocket, requestsTo, signInAs } from '@/testing/fakeBackend';

const QA: User = { id: 7, email: 'qa@demo.pivotal.dev', full_name: 'Qa', role: 'qa_analyst', client_id: null };

const row = (id: number, qa_status: QaStatus = 'new'): QaLead => ({
  id, campaign_id: 1, contact_id: id, call_id: null, agent_id: 4, qa_status, ai_score: 60,
  approved_at: null, created_at: '2026-01-05T10:00:00Z', updated_at: '2026-01-05T10:00:00Z',
  contact_name: `Contact ${id}`, agent_name: 'Agent1',
});
const detail = (lead: QaLead): LeadDetail => ({
  ...lead,
  answers: { budget: 'Yes' },
  checklist: [
    { key: 'required_fields', label: 'Required fields answered', automatic: true, done: true, problem: null },
    { key: 'icp_match', label: 'The contact matches the ideal customer profile', automatic: false, done: false, problem: 'Not confirmed.' },
  ],
  ai_analysis: {},
  contact: { id: lead.id, full_name: `Contact ${lead.id}`, email: null, direct_phone_e164: null, job_title: 'CFO' },
  agent: { id: 4, full_name: 'Agent1' },
  recording: null,
  transcript: null,
});

function backend(leads: QaLead[]) {
  const status = new Map(leads.map((lead) => [lead.id, lead.qa_status]));
  const current = (id: number) => ({ ...row(id), qa_status: status.get(id) ?? 'new' });
  const routes: Record<string, unknown> = {
    'GET /leads': () => ({ items: leads.map((lead) => current(lead.id)), next_cursor: null }),
    'GET /campaigns': { items: [{ id: 1, name: 'Acme Q1' }], next_cursor: null },
  };
  for (const lead of leads) {
    routes[`GET /leads/${lead.id}`] = () => detail(current(lead.id));
    routes[`GET /leads/${lead.id}/analysis`] = {
      lead_id: lead.id, status: 'failed', model: 'openai', at: null, error: 'The AI timed out after 30 s.', result: null,
    };
    routes[`GET /leads/${lead.id}/reviews`] = { items: [], next_cursor: null };
    routes[`POST /leads/${lead.id}/transition`] = (body: { to: QaStatus }) => {
      status.set(lead.id, body.to);
      return detail(current(lead.id));
    };
  }
  return routes;
}

function renderPage(search: string, user: User = QA) {
  const navigate = vi.fn();
  const view = render(<QaPage user={user} params={{}} query={new URLSearchParams(search)} navigate={navigate} />);
  const go = (to: string) => view.rerender(<QaPage user={user} params={{}} query={new URLSearchParams(to.split('?')[1] ?? '')} navigate={navigate} />);
  navigate.mockImplementation(go);
  return navigate;
}

beforeEach(() => {
  signInAs('qa_analyst', 'Qa');
  installFakeSocket();
});

describe('QaPage', () => {
  it('reviews from the keyboard: next, approve with the ticks, reject with a reason', async () => {
    const spy = fakeApi(backend([row(1), row(2), row(3)]));
    const navigate = renderPage('status=new');
    expect(await screen.findByText('3 leads')).toBeInTheDocument();
    expect(requestsTo(spy, 'GET', '/leads?qa_status=new').length).toBe(1);

    fireEvent.keyDown(window, { key: 'j' });
    expect(navigate).toHaveBeenLastCalledWith('/qa?status=new&lead=1');
    expect(await screen.findByTestId('drawer-title')).toHaveTextContent('Lead #1 · Contact 1');
    expect(await screen.findByText(/The analysis timed out/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();

    const icp = screen.getByRole('checkbox', { name: 'The contact matches the ideal customer profile' });
    expect(icp).not.toBeChecked();
    fireEvent.keyDown(window, { key: 'c' });
    expect(icp).toBeChecked();
    fireEvent.keyDown(window, { key: 'a' });
    await waitFor(() => expect(navigate).toHaveBeenLastCalledWith('/qa?status=new&lead=2'));
    expect(requestsTo(spy, 'POST', '/leads/1/transition')).toEqual([
      { to: 'under_review' },
      { to: 'approved', checklist: { icp_match: true } },
    ]);

    fireEvent.keyDown(window, { key: 'r' });
    const dialog = await screen.findByRole('dialog', { name: 'Reject lead #2' });
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'No budget{Enter}');
    await waitFor(() => expect(requestsTo(spy, 'POST', '/leads/2/transition')).toEqual([
      { to: 'under_review' },
      { to: 'rejected', reason: 'No budget', checklist: {} },
    ]));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('decides checked leads in bulk and shows the refusals lead by lead', async () => {
    const refused = {
      status: 409, code: 'conflict', message: '1 of 2 leads cannot move to \'approved\'; none moved.',
      errors: [{ field: 'leads.6', message: 'The checklist is not complete. checklist.icp_match: Not confirmed.' }],
    };
    const routes = backend([row(5, 'under_review'), row(6, 'under_review'), row(7)]);
    routes['POST /leads/bulk'] = () => new Response(JSON.stringify(refused), { status: 409 });
    const spy = fakeApi(routes);
    renderPage('lead=5');
    await screen.findByTestId('drawer-title');
    fireEvent.keyDown(window, { key: 'x' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Check lead 6' }), { shiftKey: true });
    expect(screen.getByTestId('checked-count')).toHaveTextContent('2 checked');
    fireEvent.keyDown(window, { key: 'a' });
    expect(await screen.findByText('Lead #6: The checklist is not complete. checklist.icp_match: Not confirmed.')).toBeInTheDocument();
    expect(requestsTo(spy, 'POST', '/leads/bulk')).toEqual([{ ids: [5, 6], to: 'approved' }]);
    expect(screen.getByTestId('checked-count')).toHaveTextContent('2 checked'); // kept, to fix and retry
  });

  it('puts the filters in the URL and is read-only for a campaign manager', async () => {
    fakeApi(backend([row(1)]));
    const manager: User = { ...QA, role: 'campaign_manager' };
    const navigate = renderPage('lead=1', manager);
    await screen.findByTestId('drawer-title');
    expect(screen.getByText(/Read only/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve/ })).not.toBeInTheDocument();
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'approved' } });
    expect(navigate).toHaveBeenLastCalledWith('/qa?status=approved&lead=1');
    expect(screen.getByRole('option', { name: 'Agent1' })).toHaveValue('4');
    fireEvent.change(screen.getByLabelText('AI score from'), { target: { value: '40' } });
    expect(navigate).toHaveBeenLastCalledWith('/qa?status=approved&min_score=40&lead=1');
    await act(async () => {});
  });

  it('applies live lead changes in place and reloads the analysis when it ends', async () => {
    const routes = backend([row(1), row(2), row(3)]);
    routes['GET /leads?id=2&id=4&limit=500'] = { items: [row(2, 'approved'), row(4)], next_cursor: null };
    const spy = fakeApi(routes);
    renderPage('status=new&lead=1');
    expect(await screen.findByText('3 leads')).toBeInTheDocument();
    await screen.findByText(/The analysis timed out/);
    const grid = screen.getByRole('grid', { name: 'Leads' });
    const analysisReads = () => requestsTo(spy, 'GET', '/leads/1/analysis').length;
    const before = analysisReads();

    act(() => FakeSocket.last?.push([{ type: 'leads.changed', ids: [2, 4], change: 'decided' }]));
    await waitFor(() => expect(grid.querySelector('[data-lead="4"]')).not.toBeNull());
    expect(within(grid.querySelector('[data-lead="2"]') as HTMLElement).getByText('Approved')).toBeInTheDocument();
    expect(screen.getByText('4 leads')).toBeInTheDocument();
    expect(requestsTo(spy, 'GET', '/leads?qa_status=new').length).toBe(1); // no full reload

    act(() => FakeSocket.last?.push([{ type: 'analysis.ended', id: 1, status: 'done', message: '', link: null }]));
    await waitFor(() => expect(analysisReads()).toBe(before + 1));
    act(() => FakeSocket.last?.push([{ type: 'hello', role: 'qa_analyst' }])); // a reconnection
    await waitFor(() => expect(requestsTo(spy, 'GET', '/leads?qa_status=new').length).toBe(2));
  });

  it('shows the help overlay on ? and closes it again', async () => {
    fakeApi(backend([row(1)]));
    renderPage('');
    await screen.findByText('1 leads');
    fireEvent.keyDown(window, { key: '?' });
    expect(await screen.findByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveTextContent('Play or pause the recording');
    fireEvent.keyDown(window, { key: '?' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
