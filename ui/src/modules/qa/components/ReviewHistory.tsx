import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { StatusBadge } from '@/modules/qa/components/StatusBadge';
import type { QaStatus } from '@/modules/qa/types/QaLead';
import type { QaReview } from '@/modules/qa/types/QaReview';

type Props = { leadId: number; version: number; reviewerName: (id: number | null) => string };

/** Every decision on the lead, oldest first, with who made it and why. */
export function ReviewHistory({ leadId, version, reviewerName }: Props) {
  const { data, error } = useApiResource<{ items: QaReview[] }>(`/leads/${leadId}/reviews?limit=500`, version);
  if (error) return <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error.message}</p>;
  if (!data) return <p className="text-sm text-slate-600 dark:text-slate-300">Loading…</p>;
  if (data.items.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No decision yet.</p>;
  return (
    <ol className="space-y-1.5 text-sm" data-testid="review-history">
      {data.items.map((review) => (
        <li key={review.id} className="flex flex-wrap items-center gap-1.5">
          <StatusBadge status={review.from_status as QaStatus} />
          <span aria-label="to">→</span>
          <StatusBadge status={review.to_status as QaStatus} />
          <span className="text-xs text-slate-600 dark:text-slate-300">
            {reviewerName(review.reviewer_id)} · {new Date(review.created_at).toLocaleString()}
          </span>
          {review.reason ? <span className="w-full pl-1 italic">“{review.reason}”</span> : null}
        </li>
      ))}
    </ol>
  );
}
