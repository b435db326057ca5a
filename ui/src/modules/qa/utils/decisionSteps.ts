import type { Verdict } from '@/modules/qa/types/Decision';
import type { QaStatus } from '@/modules/qa/types/QaLead';

/**
 * The transitions that take a lead to a verdict. The API's state machine only approves or
 * rejects a lead under review, so a new (or returned) lead is first put under review: that
 * step is a decision of its own in the lead's history. Any other edge is sent as it is and
 * the API's refusal shown.
 */
export function decisionSteps(current: QaStatus, verdict: Verdict): QaStatus[] {
  const opening = verdict !== 'returned' && (current === 'new' || current === 'returned');
  return opening ? ['under_review', verdict] : [verdict];
}
