/** A client's order as the API answers it (docs/api.md, "Client orders: the wizard"). */
export type OrderKind = 'email' | 'telemarketing' | 'combo';
export type OrderStatus = 'draft' | 'submitted' | 'in_progress' | 'completed' | 'cancelled';

export type Pacing = { leads_per_week?: number; start_date?: string; end_date?: string };

export type AudienceSummary = {
  source: 'filter' | 'segment' | 'list' | 'domain_set' | null;
  definition: Record<string, unknown>;
  contact_count: number;
  account_count: number;
  snapshot_at: string | null;
};

export type Order = {
  id: number;
  client_id: number;
  /** The client organisation's name (its own users see it too). */
  client_name: string;
  title: string;
  kind: OrderKind;
  status: OrderStatus;
  audience: Partial<AudienceSummary>;
  lead_goal: number | null;
  pacing: Pacing;
  compliance_confirmed: boolean;
  compliance_confirmed_at: string | null;
  question_version: number | null;
  notes: string | null;
  submitted_at: string | null;
  created_at: string;
};

export type Page<T> = { items: T[]; next_cursor: string | null };

export type MissingStep = { field: string; message: string };
export type Review = { ready: boolean; missing: MissingStep[] };

export type AnswerType = 'text' | 'number' | 'date' | 'dropdown' | 'radio' | 'checkbox';
export type Question = {
  question: string;
  answer_type: AnswerType;
  options: string[];
  required: boolean;
  /** Which options qualify a lead for QA scoring (some of `options`). */
  qualifying_options?: string[];
  /** For a number question: the smallest answer that qualifies. */
  qualifying_min?: number | null;
};
export type QuestionVersion = { version: number | null; latest_version: number | null; questions: Question[] };

export type Asset = {
  id: number;
  filename: string;
  kind: string;
  content_type: string;
  size_bytes: number;
  created_at: string;
};

/** What a client's domain-list upload found, beside the audience it became. */
export type DomainListAudience = AudienceSummary & {
  domain_set_id: number;
  stats: { unique: number; matched: number; match_rate: number; invalid: number; unmatched: string[] };
};

/** What an audience would hold now, before choosing it (`POST /client/audience/count`). */
export type AudienceCount = { contact_count: number; account_count: number };

/** What a domain list would match, before uploading it (`POST /client/audience/domains/count`). */
export type DomainListCount = AudienceCount & { stats: DomainListAudience['stats'] };
