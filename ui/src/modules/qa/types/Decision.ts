/** The three verdicts of a reviewer; reject and return need a reason. */
export type Verdict = 'approved' | 'rejected' | 'returned';
