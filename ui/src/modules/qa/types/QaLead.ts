export type QaStatus = 'new' | 'under_review' | 'approved' | 'rejected' | 'returned' | 'published';

/** A row of the QA grid (`GET /leads`). */
export type QaLead = {
  id: number;
  campaign_id: number;
  contact_id: number;
  call_id: number | null;
  agent_id: number | null;
  qa_status: QaStatus;
  ai_score: number | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
  /** In grid rows only (a decision's answer leaves them out). */
  contact_name?: string | null;
  agent_name?: string | null;
};
