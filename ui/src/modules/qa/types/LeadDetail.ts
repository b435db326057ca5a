import type { QaLead } from '@/modules/qa/types/QaLead';

export type ChecklistItem = {
  key: string;
  label: string;
  /** Worked out from the lead (answers, recording); the others are ticked by the reviewer. */
  automatic: boolean;
  done: boolean;
  problem: string | null;
};

/** One speaker turn; `start` and `end` are milliseconds into the recording. */
export type Utterance = { speaker: string | null; text: string; start: number; end: number };

export type LeadTranscript = {
  status: string;
  text: string | null;
  utterances: Utterance[];
};

/** The drawer's lead (`GET /leads/{id}`). */
export type LeadDetail = QaLead & {
  answers: Record<string, unknown>;
  checklist: ChecklistItem[];
  ai_analysis: Record<string, unknown>;
  contact: {
    id: number;
    full_name: string | null;
    email: string | null;
    direct_phone_e164: string | null;
    job_title: string | null;
  } | null;
  agent: { id: number; full_name: string | null } | null;
  recording: { id: number; url: string; duration_seconds: number | null } | null;
  transcript: LeadTranscript | null;
};
