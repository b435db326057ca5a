import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { OrderDetailPanel } from '@/modules/operations/components/OrderDetailPanel';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ORDER = {
  id: 5, client_id: 1, client_name: 'Acme', title: 'Q3 leads', kind: 'telemarketing', status: 'submitted', lead_goal: 4,
  audience: { source: 'filter', contact_count: 30, account_count: 10 }, pacing: { start_date: '2026-12-01', end_date: '2027-01-31' },
  compliance_confirmed: true, compliance_confirmed_at: null, question_version: 1, notes: null, submitted_at: null, created_at: '',
};
const LINK = { campaign_id: 3, campaign_name: 'Acme Q1 IT outreach', campaign_kind: 'call', campaign_status: 'running', created_at: '' };

function backend(links: unknown[]) {
  return fakeApi({
    'GET /orders/5': ORDER,
    'GET /orders/5/campaign-links': links,
    'GET /orders/5/questions': { version: 1, latest_version: 1, questions: [{ question: 'Budget?', answer_type: 'text', options: [], required: true }] },
    'GET /campaigns': {
      items: [
        { id: 3, name: 'Acme Q1 IT outreach', kind: 'call', status: 'running', client_id: 1 },
        { id: 4, name: 'Globex push', kind: 'call', status: 'draft', client_id: 2 },
      ],
      next_cursor: null,
    },
    'POST /orders/5/campaign-links': [LINK],
    'DELETE /orders/5/campaign-links/3': new Response(null, { status: 204 }),
    'GET /reports/telemarketing': { rows: [{ key: 3, attempts: 12, leads: 2, approved: 1 }] },
    'GET /reports/email': { rows: [] },
    'POST /orders/5/status': { ...ORDER, status: 'in_progress' },
  });
}

beforeEach(() => signInAs('campaign_manager'));

describe('OrderDetailPanel', () => {
  it('links a campaign only after confirmation', async () => {
    const api = backend([]);
    const onChanged = vi.fn();
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={onChanged} />);
    expect(await screen.findByTestId('no-links')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Link Globex push' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Link Acme Q1 IT outreach' }));
    const dialog = screen.getByRole('dialog', { name: 'Link campaign' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(requestsTo(api, 'POST', '/orders/5/campaign-links')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Link Acme Q1 IT outreach' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Link' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(requestsTo(api, 'POST', '/orders/5/campaign-links')).toEqual([{ campaign_id: 3 }]);
  });

  it('shows the linked campaigns’ delivery and unlinks after confirmation', async () => {
    const api = backend([LINK]);
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={() => {}} />);
    const row = await screen.findByTestId('link-3');
    await waitFor(() => expect(row).toHaveTextContent('12'));
    await userEvent.click(within(row).getByRole('button', { name: 'Unlink Acme Q1 IT outreach' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Unlink campaign' })).getByRole('button', { name: 'Unlink' }));
    await waitFor(() => expect(api.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true));
  });

  it('offers the status changes the order allows', async () => {
    const api = backend([]);
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={() => {}} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Start work' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Start work' }));
    await waitFor(() => expect(requestsTo(api, 'POST', '/orders/5/status')).toEqual([{ status: 'in_progress' }]));
    expect(screen.queryByRole('button', { name: 'Mark completed' })).not.toBeInTheDocument();
  });
});
