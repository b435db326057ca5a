import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import type { AgentSnapshot, CampaignSnapshot } from '@/modules/live/types/LiveEvent';
import { MonitorPage } from '@/modules/monitor/components/MonitorPage';
import { fakeApi, FakeSocket, installFakeSocket, requestsTo, signInAs } from '@/testing/fakeBackend';

const agent = (change: Partial<AgentSnapshot>): AgentSnapshot => ({
  agent_id: 11, state: 'ready', seconds_in_state: 5, campaigns: [1], reason: null, pause_requested: null,
  reserved_for: null, ref: null, wrap_up_left: null, call_id: null, name: 'Ada Lovelace', ...change,
});

const campaign: CampaignSnapshot = {
  campaign_id: 1, name: 'Acme Q1 IT outreach', status: 'running', queue_depth: 0, dials: 10, connects: 4,
  talk_seconds: 120, dials_last_minute: 6, dispositions: {}, agents: { ready: 1 },
};

const SETTINGS = { script: 'Hi', calling_window: { start: '09:00', end: '17:00', days: [0, 1, 2, 3, 4] } };

function backend(agents: () => AgentSnapshot[]) {
  return fakeApi({
    'GET /live/campaigns': [campaign],
    'GET /live/agents': () => agents(),
    'GET /campaigns': { items: [{ id: 1, kind: 'call', name: 'Acme Q1 IT outreach', status: 'running', client_id: null, settings: {} }], next_cursor: null },
    'GET /campaigns/1': { id: 1, kind: 'call', name: 'Acme Q1 IT outreach', status: 'running', client_id: null, settings: SETTINGS },
  });
}

beforeEach(() => {
  signInAs('campaign_manager', 'Manager');
  installFakeSocket();
});

describe('MonitorPage (supervisor wallboard)', () => {
  it('shows agents by name with their state, and a running campaign with no leads as an alert', async () => {
    backend(() => [agent({})]);
    render(<MonitorPage />);
    const row = await screen.findByTestId('agent-11');
    expect(within(row).getByTestId('agent-name')).toHaveTextContent('Ada Lovelace');
    expect(within(row).getByTestId('agent-row-state')).toHaveTextContent('Ready');
    expect(within(row).getByTestId('supervisor-actions')).toBeInTheDocument();
    expect(await screen.findByText(/No dialable leads/)).toBeInTheDocument();
    // a state change from the stream keeps the agent's name
    act(() => FakeSocket.last?.push([{ type: 'agent', ...agent({ state: 'on_call', call_id: 9, reserved_for: 1, name: undefined }) }]));
    expect(within(row).getByTestId('agent-row-state')).toHaveTextContent('On call');
    expect(within(row).getByTestId('agent-name')).toHaveTextContent('Ada Lovelace');
    expect(within(row).getByTestId('agent-call')).toHaveTextContent('Call #9');
  });

  it('re-syncs from the API when the stream comes back after a drop', async () => {
    let state: AgentSnapshot = agent({});
    const spy = backend(() => [state]);
    render(<MonitorPage />);
    const row = await screen.findByTestId('agent-11');
    await waitFor(() => expect(screen.getByTestId('stream-status')).toHaveAttribute('data-status', 'open'));
    const first = FakeSocket.last;
    act(() => first?.onclose?.({ code: 1006 }));
    expect(screen.getByTestId('stream-status')).toHaveAttribute('data-status', 'reconnecting');
    // while disconnected the agent paused: no event reached the page
    state = agent({ state: 'paused', reason: 'lunch' });
    await waitFor(() => expect(FakeSocket.last).not.toBe(first), { timeout: 3000 });
    await waitFor(() => expect(within(row).getByTestId('agent-row-state')).toHaveTextContent('Paused'));
    expect(within(row).getByTestId('agent-call')).toHaveTextContent('lunch');
    expect(screen.getByTestId('stream-status')).toHaveAttribute('data-status', 'open');
    expect(requestsTo(spy, 'GET', '/live/agents').length).toBeGreaterThanOrEqual(2);
  });

  it('changes a campaign’s settings live, keeping the others, and shows the server’s field errors', async () => {
    const spy = backend(() => [agent({})]);
    const user = userEvent.setup();
    render(<MonitorPage />);
    await user.click(await screen.findByRole('button', { name: 'Settings of Acme Q1 IT outreach' }));
    const dialog = await screen.findByRole('dialog');
    const until = await within(dialog).findByLabelText('Until');
    expect(until).toHaveValue('17:00');
    const attempts = within(dialog).getByLabelText('Max attempts');
    await user.clear(attempts);
    await user.type(attempts, '5');
    await user.click(within(dialog).getByLabelText('Sat'));
    const priority = within(dialog).getByLabelText('Priority (0–100)');
    await user.clear(priority);
    await user.type(priority, '40');
    let answer: unknown = new Response(
      JSON.stringify({ status: 422, code: 'validation_failed', message: 'Check the fields.', errors: [{ field: 'settings.retry.max_attempts', message: 'Too many.' }] }),
      { status: 422 },
    );
    spy.mockClear();
    fakeApi({
      'GET /live/campaigns': [campaign],
      'GET /live/agents': [agent({})],
      'GET /campaigns': { items: [], next_cursor: null },
      'PATCH /campaigns/1': () => answer,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Save and apply' }));
    expect(await within(dialog).findByText('Too many.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Max attempts')).toHaveValue('5'); // nothing typed lost
    answer = { id: 1 };
    const saved = fakeApi({
      'GET /live/campaigns': [campaign],
      'GET /live/agents': [agent({})],
      'GET /campaigns': { items: [], next_cursor: null },
      'PATCH /campaigns/1': () => answer,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [body] = requestsTo(saved, 'PATCH', '/campaigns/1') as { settings: Record<string, unknown> }[];
    expect(body.settings.script).toBe('Hi');
    expect(body.settings.calling_window).toEqual({ start: '09:00', end: '17:00', days: [0, 1, 2, 3, 4, 5] });
    expect((body.settings.retry as Record<string, unknown>).max_attempts).toBe(5);
    expect(body.settings.priority).toBe(40);
  });
});
