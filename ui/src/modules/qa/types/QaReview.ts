/** One decision on a lead (`GET /leads/{id}/reviews`). */
export type QaReview = {
  id: number;
  lead_id: number;
  reviewer_id: number | null;
  from_status: string;
  to_status: string;
  reason: string | null;
  created_at: string;
};
