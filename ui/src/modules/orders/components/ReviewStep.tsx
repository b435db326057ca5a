import { apiFetch } from '@/modules/api/utils/apiFetch';
import { AudienceSummaryView } from '@/modules/orders/components/AudienceSummaryView';
import type { Order, Review } from '@/modules/orders/types/Order';
import { STEPS, type StepKey, stepOf } from '@/modules/orders/utils/wizardSteps';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

type Props = { order: Order; review: Review | null; onGo: (step: StepKey) => void; onSubmitted: () => void };

const label = (step: StepKey) => STEPS.find((s) => s.key === step)?.label ?? step;

/** The order at a glance, what is still missing (each with a way to fix it), and submit. */
export function ReviewStep({ order, review, onGo, onSubmitted }: Props) {
  const { busy, error, run } = useAction();
  const submit = () =>
    run(async () => {
      await apiFetch<Order>(`/client/orders/${order.id}/submit`, { method: 'POST' });
      onSubmitted();
    });
  const missing = review?.missing ?? [];
  return (
    <div className="space-y-4 text-sm">
      <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-600 dark:text-slate-400">Title</dt>
        <dd>{order.title}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Type</dt>
        <dd>{order.kind}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Lead goal</dt>
        <dd>{order.lead_goal ?? '—'}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Pacing</dt>
        <dd>
          {order.pacing.start_date ?? '?'} to {order.pacing.end_date ?? '?'}
          {order.pacing.leads_per_week ? `, ${order.pacing.leads_per_week} a week` : ''}
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Audience</dt>
        <dd>
          <AudienceSummaryView audience={order.audience} />
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Questions</dt>
        <dd>{order.question_version ? `version ${order.question_version}` : 'latest saved version'}</dd>
      </dl>
      {review === null ? <p>Checking the order…</p> : null}
      {missing.length ? (
        <section aria-labelledby="missing-title" className="rounded-md bg-amber-50 p-3 dark:bg-amber-950">
          <h3 id="missing-title" className="font-semibold">
            Still missing
          </h3>
          <ul className="mt-1 space-y-1" data-testid="missing-steps">
            {missing.map((gap) => (
              <li key={gap.field} className="flex flex-wrap items-center gap-2">
                <span>{gap.message}</span>
                <button type="button" className="text-sky-800 underline dark:text-sky-300" onClick={() => onGo(stepOf(gap.field))}>
                  Go to {label(stepOf(gap.field))}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {review?.ready ? <p className="text-emerald-800 dark:text-emerald-300">Everything is in place. Submitting sends the order to our operations team; it can no longer be edited.</p> : null}
      <ErrorNote error={error} withFields />
      <Button tone="primary" disabled={busy || !review?.ready} onClick={() => void submit()}>
        Submit the order
      </Button>
    </div>
  );
}
