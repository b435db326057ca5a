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
const QUESTIONS = [
  { question: 'Budget?', answer_type: 'radio', options: ['none', 'under 10k', 'over 10k'], required: true, qualifying_options: ['under 10k', 'over 10k'], qualifying_min: null },
  { question: 'Seats?', answer_type: 'number', options: [], required: false, qualifying_options: [], qualifying_min: 25 },
  { question: 'Notes?', answer_type: 'text', options: [], required: false, qualifying_options: [], qualifying_min: null },
];
const LINK = { campaign_id: 3, campaign_name: 'Acme Q1 IT outreach', campaign_kind: 'call', campaign_status: 'running', created_at: '', questions_match: false };

function backend(links: unknown[], copy: unknown = { questions: [] }) {
  return fakeApi({
    'GET /orders/5': ORDER,
    'GET /orders/5/campaign-links': links,
    'GET /orders/5/questions': { version: 1, latest_version: 1, questions: QUESTIONS },
    'POST /campaigns/3/questions/from-order/5': copy,
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

  it('shows each question’s type, required flag and what qualifies, in words', async () => {
    backend([]);
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={() => {}} />);
    const list = await screen.findByTestId('order-questions');
    const [budget, seats, notes] = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list);
    expect(budget).toHaveTextContent('Budget? (one choice, required)');
    const options = within(budget).getByRole('list', { name: 'Options of “Budget?”' });
    expect(within(options).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['none', '✓ under 10k (qualifies)', '✓ over 10k (qualifies)']);
    expect(seats).toHaveTextContent('Seats? (number, optional)');
    expect(seats).toHaveTextContent('Qualifies from 25 up.');
    expect(notes).toHaveTextContent('Notes? (free text, optional)');
    expect(notes).not.toHaveTextContent('Qualifies');
  });

  it('copies the order’s questions into a linked call campaign after confirmation and says so', async () => {
    const api = backend([LINK, { ...LINK, campaign_id: 8, campaign_name: 'Acme mail', campaign_kind: 'email', questions_match: null }]);
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={() => {}} />);
    expect(await screen.findByTestId('link-3')).toHaveTextContent('differ from the order');
    expect(within(screen.getByTestId('link-8')).queryByRole('button', { name: /Copy/ })).not.toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Copy the order’s questions into Acme Q1 IT outreach' }));
    const dialog = screen.getByRole('dialog', { name: 'Copy questions' });
    expect(dialog).toHaveTextContent('current questions will be replaced');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(requestsTo(api, 'POST', '/campaigns/3/questions/from-order/5')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Copy the order’s questions into Acme Q1 IT outreach' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Replace questions' }));
    expect(await screen.findByRole('status')).toHaveTextContent('“Acme Q1 IT outreach” now asks this order’s 3 questions, with its qualifying answers.');
    expect(requestsTo(api, 'POST', '/campaigns/3/questions/from-order/5')).toHaveLength(1);
  });

  it('shows a refused copy in words, with the field at fault', async () => {
    const refusal = { status: 422, code: 'validation_error', message: 'The order’s questions do not fit a call campaign.', errors: [{ field: 'questions.1.label', message: 'String should have at most 300 characters' }] };
    backend([LINK], new Response(JSON.stringify(refusal), { status: 422 }));
    render(<OrderDetailPanel orderId={5} search="" onSearch={() => {}} onChanged={() => {}} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Copy the order’s questions into Acme Q1 IT outreach' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Replace questions' }));
    const alert = await within(screen.getByRole('dialog', { name: 'Copy questions' })).findByRole('alert');
    expect(alert).toHaveTextContent('The order’s questions do not fit a call campaign.');
    expect(alert).toHaveTextContent('questions.1.label: String should have at most 300 characters');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
