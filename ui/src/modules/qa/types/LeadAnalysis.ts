export type AnalysisReason = { criterion: string; points: number; max_points: number; note: string };

/** `GET /leads/{id}/analysis`: a run is pending, done (with its result) or failed (why). */
export type LeadAnalysis = {
  lead_id: number;
  status: 'none' | 'pending' | 'done' | 'failed';
  model: string | null;
  at: string | null;
  error: string | null;
  result: { score: number; reasons: AnalysisReason[]; summary: string; sentiment: string } | null;
};
