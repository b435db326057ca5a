import type { ConsoleCall } from '@/modules/console/types/ConsoleCall';
import type { AgentSnapshot, CallEvent } from '@/modules/live/types/LiveEvent';

export type AgentConsoleState = {
  agent: AgentSnapshot | null;
  /** Epoch ms at which the agent entered its state (for the live time-in-state). */
  since: number;
  /** Epoch ms at which the wrap-up time runs out, in wrap-up. */
  wrapUpDeadline: number | null;
  call: ConsoleCall | null;
  /** Epoch ms of the last agent event from the stream. */
  lastEventAt: number;
};

export type AgentConsoleAction =
  /** A snapshot from the stream (`sentAt` null) or an HTTP answer to a request sent at `sentAt`. */
  | { type: 'snapshot'; snapshot: AgentSnapshot; at: number; sentAt: number | null }
  | { type: 'call'; event: CallEvent; at: number };

export const initialAgentConsole: AgentConsoleState = {
  agent: null,
  since: 0,
  wrapUpDeadline: null,
  call: null,
  lastEventAt: 0,
};

function callFor(snapshot: AgentSnapshot, previous: ConsoleCall | null): ConsoleCall | null {
  const campaignId = snapshot.reserved_for ?? previous?.campaignId ?? null;
  switch (snapshot.state) {
    case 'on_call':
      return snapshot.call_id !== null
        ? { id: snapshot.call_id, status: 'answered', campaignId }
        : previous;
    case 'wrap_up':
      return snapshot.call_id !== null
        ? { id: snapshot.call_id, status: 'ended', campaignId }
        : previous && { ...previous, status: 'ended' };
    case 'reserved':
    case 'ringing':
      return previous; // the call event names the call being dialed
    default:
      return null;
  }
}

/**
 * The agent's console state. Events from the stream are authoritative; an HTTP answer is
 * applied only when no event arrived after its request was sent (an event about that very
 * action always follows, so nothing is lost by skipping a stale answer).
 */
export function agentConsoleReducer(
  state: AgentConsoleState,
  action: AgentConsoleAction,
): AgentConsoleState {
  if (action.type === 'snapshot') {
    const { snapshot, at, sentAt } = action;
    if (sentAt !== null && state.lastEventAt > sentAt) return state;
    return {
      agent: snapshot,
      since: at - snapshot.seconds_in_state * 1000,
      wrapUpDeadline:
        snapshot.state === 'wrap_up' && snapshot.wrap_up_left !== null
          ? at + snapshot.wrap_up_left * 1000
          : null,
      call: callFor(snapshot, state.call),
      lastEventAt: sentAt === null ? at : state.lastEventAt,
    };
  }
  const { event } = action;
  if (event.status === 'dialing') {
    return { ...state, call: { id: event.call_id, status: 'dialing', campaignId: event.campaign_id } };
  }
  if (state.call && state.call.id !== event.call_id) return state;
  const status = event.status;
  if (status === 'ended' && (!state.call || state.call.status === 'dialing')) {
    // an unanswered call: nothing to work on
    return { ...state, call: null };
  }
  return { ...state, call: { id: event.call_id, status, campaignId: event.campaign_id } };
}
