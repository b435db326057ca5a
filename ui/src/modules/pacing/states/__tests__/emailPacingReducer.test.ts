import { describe, expect, it } from 'vitest';

import type { EmailCampaignSnapshot } from '@/modules/live/types/LiveEvent';
import { emailPacingReducer, initialEmailPacing } from '@/modules/pacing/states/emailPacingReducer';

const snap = (change: Partial<EmailCampaignSnapshot>): EmailCampaignSnapshot => ({
  campaign_id: 3, name: 'Nurture', status: 'running', rate_per_minute: 60, sent: 0, queued: 10, failed: 0,
  bounced: 0, excluded: 0, retried: 0, unknown: 0, sent_last_minute: 0, throttled_domains: [], domain_limits: {}, winners: {}, events: {}, ...change,
});

describe('emailPacingReducer', () => {
  it('samples set and actual rate per event and forgets samples older than 15 minutes', () => {
    let state = emailPacingReducer(initialEmailPacing, { type: 'loaded', campaigns: [snap({})], at: 0 });
    state = emailPacingReducer(state, { type: 'events', events: [{ type: 'email_campaign', ...snap({ sent_last_minute: 40 }) }], at: 60_000 });
    expect(state.history[3]).toEqual([
      { t: 0, set: 60, actual: 0 },
      { t: 60, set: 60, actual: 40 },
    ]);
    state = emailPacingReducer(state, { type: 'events', events: [{ type: 'email_campaign', ...snap({ rate_per_minute: 20 }) }], at: 15 * 60_000 + 1000 });
    expect(state.history[3].map((p) => p.t)).toEqual([60, 901]);
    expect(state.campaigns[3].rate_per_minute).toBe(20);
  });

  it('keeps the history across a reload, and a completed campaign with its final counts', () => {
    let state = emailPacingReducer(initialEmailPacing, { type: 'loaded', campaigns: [snap({})], at: 0 });
    state = emailPacingReducer(state, { type: 'loaded', campaigns: [snap({ rate_per_minute: 90 })], at: 5000 });
    expect(state.history[3].map((p) => p.set)).toEqual([60, 90]);
    state = emailPacingReducer(state, { type: 'events', events: [{ type: 'email_campaign', ...snap({ status: 'completed', sent: 10, queued: 0 }) }], at: 6000 });
    expect(state.campaigns[3]).toMatchObject({ status: 'completed', sent: 10, queued: 0 });
    state = emailPacingReducer(state, { type: 'events', events: [{ type: 'email_campaign', ...snap({ status: 'cancelled' }) }], at: 7000 });
    expect(state.campaigns).toEqual({});
  });

  it('ignores batches without email events', () => {
    const state = emailPacingReducer(initialEmailPacing, { type: 'loaded', campaigns: [snap({})], at: 0 });
    expect(emailPacingReducer(state, { type: 'events', events: [{ type: 'resync' }], at: 10 })).toBe(state);
  });
});
