import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { ConsolePage } from '@/modules/console/components/ConsolePage';
import type { AgentSnapshot } from '@/modules/live/types/LiveEvent';
import { fakeApi, FakeSocket, installFakeSocket, requestsTo, signInAs } from '@/testing/fakeBackend';

const USER = { id: 7, email: 'agent1@demo.pivotal.dev', full_name: 'Agent1', role: 'agent' as const, client_id: null };

const agent = (change: Partial<AgentSnapshot>): AgentSnapshot => ({
  agent_id: 7, state: 'wrap_up', seconds_in_state: 3, campaigns: [1], reason: null, pause_requested: null,
  reserved_for: 1, ref: null, wrap_up_left: 27, call_id: 5, ...change,
});

const KIT = {
  campaign_id: 1, name: 'Acme Q1 IT outreach', status: 'running', topic: 'IT modernisation', wrap_up_seconds: 30,
  script: 'Hi {{contact.first_name}}, this is {{agent.first_name}} about {{account.name}}.',
  questions: [
    { key: 'budget', label: 'Is there budget?', answer_type: 'radio', options: ['Yes', 'No'], required: true },
    { key: 'timeline', label: 'When do you decide?', answer_type: 'dropdown', options: ['Q1', 'Q2'], required: true },
  ],
  dispositions: [
    { code: 'qualified', label: 'Qualified', rule: 'qualified', shortcut: '1' },
    { code: 'not_interested', label: 'Not interested', rule: 'not_interested', shortcut: '3' },
    { code: 'dnc', label: 'Do not call', rule: 'dnc', shortcut: '8' },
  ],
};

const POP = {
  call_id: 5, campaign_id: 1, campaign_name: 'Acme Q1 IT outreach', phone_e164: '+12125550100', status: 'answered',
  answered_at: null, window_open: true, previous_calls: [], activity: [], suppressions: [],
  callee_times: [{ zone: 'America/New_York', local_time: '2026-01-01T10:00:00-05:00' }],
  contact: { id: 3, first_name: 'Ava', last_name: 'Nguyen', full_name: 'Ava Nguyen', job_title: 'CFO', email: 'ava@x.com', custom_fields: {} },
  account: { id: 2, name: 'Company 00 Demo', domain: 'company00-demo.com', custom_fields: {} },
};

function backend(state: AgentSnapshot = agent({})) {
  return fakeApi({
    'GET /console/state': state,
    'GET /campaigns/1/console-kit': KIT,
    'GET /calls/5/screen-pop': POP,
    'GET /console/today': { since: '', calls: 4, connected: 2, talk_seconds: 95, leads: 1 },
    'GET /campaigns': { items: [{ id: 1, kind: 'call', name: 'Acme Q1 IT outreach', status: 'running', client_id: null, settings: {} }], next_cursor: null },
    'POST /console/disposition': () => agent({ state: 'ready', call_id: null, wrap_up_left: null, seconds_in_state: 0 }),
  });
}

beforeEach(() => {
  signInAs('agent');
  installFakeSocket();
});

describe('ConsolePage', () => {
  it('pops the callee and fills the script when a call is on', async () => {
    backend(agent({ state: 'on_call', wrap_up_left: null }));
    render(<ConsolePage user={USER} />);
    expect(await screen.findByTestId('contact-name')).toHaveTextContent('Ava Nguyen');
    expect(await screen.findByTestId('script')).toHaveTextContent('Hi Ava, this is Agent1 about Company 00 Demo.');
    expect(screen.getByTestId('agent-state')).toHaveTextContent('On call');
    expect(screen.getByRole('button', { name: /Qualified/ })).toBeDisabled();
  });

  it('refuses a qualifying disposition until the required answers are in, then sends them', async () => {
    const api = backend();
    render(<ConsolePage user={USER} />);
    await screen.findByTestId('contact-name');
    await screen.findByText('Is there budget?');
    fireEvent.keyDown(document.body, { key: '1' });
    expect(await screen.findAllByText('This answer is required.')).toHaveLength(2);
    expect(requestsTo(api, 'POST', '/console/disposition')).toHaveLength(0);

    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Yes'));
    await user.selectOptions(screen.getByLabelText(/When do you decide/), 'Q2');
    await user.type(screen.getByTestId('call-notes'), 'Call back after budget review');
    await user.keyboard('{Escape}');
    await user.keyboard('1');
    await waitFor(() => expect(requestsTo(api, 'POST', '/console/disposition')).toHaveLength(1));
    expect(requestsTo(api, 'POST', '/console/disposition')[0]).toEqual({
      code: 'qualified',
      answers: { budget: 'Yes', timeline: 'Q2' },
      notes: 'Call back after budget review',
    });
    await waitFor(() => expect(screen.getByTestId('agent-state')).toHaveTextContent('Ready'));
    expect(localStorage.getItem('pivotal.console.draft.call.5')).toBeNull();
  });

  it('asks before do-not-call and sends it on Y', async () => {
    const api = backend();
    render(<ConsolePage user={USER} />);
    await screen.findByTestId('contact-name');
    await screen.findByText('Is there budget?');
    fireEvent.keyDown(document.body, { key: '8' });
    const dialog = await screen.findByRole('dialog', { name: 'Add to do-not-call?' });
    expect(within(dialog).getByText('+12125550100')).toBeInTheDocument();
    expect(requestsTo(api, 'POST', '/console/disposition')).toHaveLength(0);
    fireEvent.keyDown(window, { key: 'y' });
    await waitFor(() => expect(requestsTo(api, 'POST', '/console/disposition')[0]).toMatchObject({ code: 'dnc' }));
  });

  it('keeps the notes of a call across a reload', async () => {
    backend(agent({ state: 'on_call', wrap_up_left: null }));
    const first = render(<ConsolePage user={USER} />);
    await screen.findByTestId('contact-name');
    await userEvent.setup().type(screen.getByTestId('call-notes'), 'Prefers email');
    first.unmount();
    render(<ConsolePage user={USER} />);
    await screen.findByTestId('contact-name');
    expect(screen.getByTestId('call-notes')).toHaveValue('Prefers email');
  });

  it('follows the stream and lists the shortcuts on ?', async () => {
    backend(agent({ state: 'paused', call_id: null, reserved_for: null, wrap_up_left: null, reason: 'login' }));
    render(<ConsolePage user={USER} />);
    await waitFor(() => expect(screen.getByTestId('agent-state')).toHaveTextContent('Paused'));
    act(() => FakeSocket.last?.push([{ type: 'agent', ...agent({ state: 'ready', call_id: null, wrap_up_left: null, seconds_in_state: 0 }) }]));
    await waitFor(() => expect(screen.getByTestId('agent-state')).toHaveTextContent('Ready'));
    fireEvent.keyDown(document.body, { key: '?' });
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByText('Hang up the call')).toBeInTheDocument();
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
