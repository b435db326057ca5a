import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { EmailCampaignSnapshot } from '@/modules/live/types/LiveEvent';
import { EmailCampaignCard } from '@/modules/pacing/components/EmailCampaignCard';
import { signInAs } from '@/testing/fakeBackend';

const snap = (change: Partial<EmailCampaignSnapshot>): EmailCampaignSnapshot => ({
  campaign_id: 3, name: 'Acme Q1 nurture', status: 'running', rate_per_minute: 60, sent: 98, queued: 0, failed: 0,
  bounced: 2, excluded: 5, retried: 0, unknown: 0, sent_last_minute: 4, throttled_domains: [], domain_limits: {}, winners: {},
  events: {}, ...change,
});

function card(campaign: EmailCampaignSnapshot) {
  render(
    <EmailCampaignCard
      campaign={campaign}
      history={[]}
      busy={false}
      error={null}
      onControl={vi.fn()}
      onRate={vi.fn(async () => true)}
      onResolved={vi.fn()}
    />,
  );
  return screen.getByTestId('email-campaign-3');
}

beforeEach(() => signInAs('campaign_manager', 'Manager'));

describe('EmailCampaignCard', () => {
  it('shows the event counts by kind, every usual kind even at zero, and others the API adds', () => {
    const box = card(snap({ events: { delivered: 90, open: 41, click: 7, bounce: 2, reply: 3, auto_reply: 1, spam_trap: 1 } }));
    const events = within(box).getByRole('region', { name: 'Email events' });
    expect(within(events).getByTestId('event-delivered')).toHaveTextContent('Delivered 90');
    expect(within(events).getByTestId('event-open')).toHaveTextContent('Opens 41');
    expect(within(events).getByTestId('event-auto_reply')).toHaveTextContent('Auto-replies 1');
    expect(within(events).getByTestId('event-complaint')).toHaveTextContent('Complaints 0');
    expect(within(events).getByTestId('event-spam_trap')).toHaveTextContent('spam trap 1');
    expect(within(box).getByTestId('count-excluded')).toHaveTextContent('5');
    expect(within(box).queryByTestId('unknown-notice')).toBeNull();
  });

  it('says in words how many messages may or may not have been sent, with a way to resolve them', () => {
    const box = card(snap({ unknown: 2 }));
    const notice = within(box).getByTestId('unknown-notice');
    expect(notice).toHaveTextContent('2 messages may or may not have been sent when the pacer stopped.');
    expect(within(notice).getByRole('button', { name: 'Resolve' })).toBeEnabled();
  });

  it('shows a completed campaign as completed, with its final counts and no controls', () => {
    const box = card(snap({ status: 'completed', unknown: 1 }));
    expect(within(box).getByTestId('email-status')).toHaveTextContent('completed');
    expect(box).toHaveTextContent('Finished: nothing more to send.');
    expect(within(box).getByTestId('count-sent')).toHaveTextContent('98');
    for (const name of ['Pause', 'Resume', 'Stop', 'Set rate']) {
      expect(within(box).queryByRole('button', { name })).toBeNull();
    }
    expect(within(box).getByTestId('unknown-notice')).toHaveTextContent('1 message may or may not have been sent');
  });
});
