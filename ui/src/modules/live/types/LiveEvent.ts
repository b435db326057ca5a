export type AgentState =
  | 'offline'
  | 'ready'
  | 'reserved'
  | 'ringing'
  | 'on_call'
  | 'wrap_up'
  | 'paused';

/** An agent's state as the dialer reports it (GET /console/state, /live/agents, events). */
export type AgentSnapshot = {
  agent_id: number;
  state: AgentState;
  seconds_in_state: number;
  campaigns: number[];
  reason: string | null;
  pause_requested: string | null;
  reserved_for: number | null;
  ref: string | null;
  wrap_up_left: number | null;
  call_id: number | null;
  /** The agent's name: GET /live/agents has it, stream events do not. */
  name?: string | null;
};

export type CampaignSnapshot = {
  campaign_id: number;
  name: string;
  status: string;
  queue_depth: number;
  dials: number;
  connects: number;
  talk_seconds: number;
  dials_last_minute: number;
  dispositions: Record<string, number>;
  agents: Partial<Record<AgentState, number>>;
};

/** A running, paused or lately ended email campaign as its send pacer reports it (actors/pacer.py `_snapshot`). */
export type EmailCampaignSnapshot = {
  campaign_id: number;
  name: string;
  /** running, paused, completed (stopped, or finished by itself). */
  status: string;
  rate_per_minute: number;
  sent: number;
  queued: number;
  failed: number;
  bounced: number;
  excluded: number;
  retried: number;
  /** Messages a crash left unknown: they may or may not have been sent; an operator decides. */
  unknown: number;
  sent_last_minute: number;
  throttled_domains: string[];
  /** Recipient domain → most messages per minute to it. */
  domain_limits: Record<string, number>;
  winners: Record<string, string>;
  /** The campaign's email events by kind: delivered, open, click, bounce, soft_bounce, complaint, unsubscribe, reply, auto_reply… */
  events: Record<string, number>;
};

export type CallEvent = {
  type: 'call';
  call_id: number;
  agent_id: number;
  campaign_id: number;
  contact_id?: number;
  status: 'dialing' | 'answered' | 'ended';
};

/** Per chunk an import writes (managers, admins and data ops). */
export type ImportProgressEvent = {
  type: 'import.progress';
  import_id: number;
  status: 'uploaded' | 'running' | 'finished' | 'failed';
  rows_total: number;
  rows_done: number;
  rows_failed: number;
};

/** The background jobs whose end is an event (`<job>.ended`, engine/live.py). */
export type JobKind = 'analysis' | 'transcription' | 'email_campaign' | 'webhook';

/** A background job ended: what a notice needs, and the hash route that shows the job. */
export type JobEndedEvent = {
  type: `${JobKind}.ended`;
  id: number;
  status: 'done' | 'failed' | 'completed';
  message: string;
  link: string | null;
  /** analysis.ended */
  lead_id?: number;
  score?: number | null;
  /** transcription.ended */
  lead_ids?: number[];
};

/** Leads created (by a disposition), decided (one or many) or re-scored: ids only. */
export type LeadsChangedEvent = {
  type: 'leads.changed';
  ids: number[];
  change: 'created' | 'decided' | 'scored';
};

export type LiveEvent =
  | { type: 'hello'; role: string }
  | { type: 'resync' }
  | ({ type: 'agent' } & AgentSnapshot)
  | ({ type: 'campaign' } & CampaignSnapshot)
  | ({ type: 'email_campaign' } & EmailCampaignSnapshot)
  | CallEvent
  | ImportProgressEvent
  | JobEndedEvent
  | LeadsChangedEvent;

export type StreamStatus = 'connecting' | 'open' | 'reconnecting';
