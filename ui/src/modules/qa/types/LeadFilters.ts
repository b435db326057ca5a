import type { QaStatus } from '@/modules/qa/types/QaLead';

/** The grid's filters as they stand in the URL; empty strings mean "any". */
export type LeadFilters = {
  status: QaStatus | '';
  campaign: string;
  agent: string;
  /** Local calendar days, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  minScore: string;
  maxScore: string;
};
