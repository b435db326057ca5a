import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import type { EmailCampaignSnapshot } from '@/modules/live/types/LiveEvent';
import { EmailPacingPage } from '@/modules/pacing/components/EmailPacingPage';
import { fakeApi, FakeSocket, installFakeSocket, requestsTo, signInAs } from '@/testing/fakeBackend';

const snap = (change: Partial<EmailCampaignSnapshot>): EmailCampaignSnapshot => ({
  campaign_id: 3, name: 'Acme Q1 nurture', status: 'running', rate_per_minute: 60, sent: 12, queued: 30, failed: 1,
  bounced: 2, excluded: 0, retried: 0, unknown: 0, sent_last_minute: 12, throttled_domains: ['big-mail.com'], domain_limits: { 'big-mail.com': 20, 'ok.com': 100 }, winners: {}, events: {},
  ...change,
});

function backend(live: () => EmailCampaignSnapshot[], rate?: (body: unknown) => unknown) {
  return fakeApi({
    'GET /live/email-campaigns': () => live(),
    'GET /campaigns': {
      items: [
        { id: 3, kind: 'email', name: 'Acme Q1 nurture', status: 'running', client_id: null, settings: {} },
        { id: 4, kind: 'email', name: 'Globex launch', status: 'draft', client_id: null, settings: {} },
      ],
      next_cursor: null,
    },
    'POST /email-campaigns/3/rate': rate ?? ((body: unknown) => snap({ rate_per_minute: (body as { rate_per_minute: number }).rate_per_minute })),
    'POST /email-campaigns/3/pause': () => snap({ status: 'paused' }),
    'POST /email-campaigns/4/start': () => snap({ campaign_id: 4 }),
  });
}

beforeEach(() => {
  signInAs('campaign_manager', 'Manager');
  installFakeSocket();
});

describe('EmailPacingPage', () => {
  it('shows the pace, counts and throttled domains, and follows the stream', async () => {
    backend(() => [snap({})]);
    render(<EmailPacingPage />);
    const card = await screen.findByTestId('email-campaign-3');
    expect(within(card).getByTestId('set-rate')).toHaveTextContent('60');
    expect(within(card).getByTestId('count-bounced')).toHaveTextContent('2');
    expect(within(card).getByTestId('domain-big-mail.com')).toHaveTextContent('big-mail.com20throttled');
    expect(within(card).getByTestId('domain-ok.com')).toHaveTextContent('ok.com100flowing');
    expect(within(card).getByRole('img', { name: /Set and actual sending rate of Acme Q1 nurture/ })).toBeInTheDocument();
    expect(screen.getByTestId('idle-email-4')).toHaveTextContent('Globex launch');
    act(() => FakeSocket.last?.push([{ type: 'email_campaign', ...snap({ sent: 20, sent_last_minute: 31 }) }]));
    expect(within(card).getByTestId('count-sent')).toHaveTextContent('20');
    expect(within(card).getByTestId('actual-rate')).toHaveTextContent('31');
  });

  it('sets a new rate, and shows the server’s reason when it is refused', async () => {
    let refuse = true;
    const spy = backend(
      () => [snap({})],
      (body) =>
        refuse
          ? new Response(JSON.stringify({ status: 422, code: 'validation_failed', message: 'Check the fields.', errors: [{ field: 'rate_per_minute', message: 'Input should be less than or equal to 1000000' }] }), { status: 422 })
          : snap({ rate_per_minute: (body as { rate_per_minute: number }).rate_per_minute }),
    );
    const user = userEvent.setup();
    render(<EmailPacingPage />);
    const input = await screen.findByLabelText('New rate (messages per minute)');
    await user.type(input, '5000000');
    await user.click(screen.getByRole('button', { name: 'Set rate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('less than or equal to 1000000');
    expect(input).toHaveValue(5000000);
    refuse = false;
    await user.clear(input);
    await user.type(input, '120');
    await user.click(screen.getByRole('button', { name: 'Set rate' }));
    await waitFor(() => expect(input).toHaveValue(null));
    expect(requestsTo(spy, 'POST', '/email-campaigns/3/rate').at(-1)).toEqual({ rate_per_minute: 120 });
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(requestsTo(spy, 'POST', '/email-campaigns/3/pause')).toHaveLength(1);
  });

  it('re-syncs from the API when the stream comes back after a drop', async () => {
    let live = [snap({})];
    backend(() => live);
    render(<EmailPacingPage />);
    const card = await screen.findByTestId('email-campaign-3');
    await waitFor(() => expect(screen.getByTestId('stream-status')).toHaveAttribute('data-status', 'open'));
    const first = FakeSocket.last;
    act(() => first?.onclose?.({ code: 1006 }));
    // another manager re-rated the campaign while this page was disconnected
    live = [snap({ rate_per_minute: 240 })];
    await waitFor(() => expect(FakeSocket.last).not.toBe(first), { timeout: 3000 });
    await waitFor(() => expect(within(card).getByTestId('set-rate')).toHaveTextContent('240'));
    expect(screen.getByTestId('stream-status')).toHaveAttribute('data-status', 'open');
  });
});
