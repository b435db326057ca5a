import type { EmailCampaignSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';
import type { RatePoint } from '@/modules/pacing/types/RatePoint';

/** How much rate history the chart keeps. */
export const WINDOW_SECONDS = 15 * 60;

export type EmailPacingState = {
  campaigns: Record<number, EmailCampaignSnapshot>;
  history: Record<number, RatePoint[]>;
};

export type EmailPacingAction =
  | { type: 'loaded'; campaigns: EmailCampaignSnapshot[]; at: number }
  | { type: 'events'; events: LiveEvent[]; at: number };

export const initialEmailPacing: EmailPacingState = { campaigns: {}, history: {} };

function sample(history: RatePoint[] | undefined, snapshot: EmailCampaignSnapshot, at: number): RatePoint[] {
  const t = at / 1000;
  const kept = (history ?? []).filter((point) => point.t > t - WINDOW_SECONDS && point.t < t);
  return [...kept, { t, set: snapshot.rate_per_minute, actual: snapshot.sent_last_minute }];
}

/**
 * Running email campaigns and their rate history. A load (first or after a reconnect)
 * replaces the campaigns but keeps the history, so the chart carries on across a dropped
 * stream. A completed campaign stays, marked completed, with its final counts (the API
 * lists it for an hour after its end); a cancelled one leaves.
 */
export function emailPacingReducer(state: EmailPacingState, action: EmailPacingAction): EmailPacingState {
  const snapshots =
    action.type === 'loaded'
      ? action.campaigns
      : action.events.flatMap((event) => {
          if (event.type !== 'email_campaign') return [];
          const { type: _type, ...snapshot } = event;
          return [snapshot];
        });
  if (action.type === 'events' && snapshots.length === 0) return state;
  const campaigns = action.type === 'loaded' ? {} : { ...state.campaigns };
  const history = { ...state.history };
  for (const snapshot of snapshots) {
    if (snapshot.status === 'cancelled') {
      delete campaigns[snapshot.campaign_id];
      continue;
    }
    campaigns[snapshot.campaign_id] = snapshot;
    history[snapshot.campaign_id] = sample(history[snapshot.campaign_id], snapshot, action.at);
  }
  return { campaigns, history };
}
