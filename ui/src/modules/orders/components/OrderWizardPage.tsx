import { useCallback, useState } from 'react';

import { NotFoundPage } from '@/modules/app/components/NotFoundPage';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { AssetsStep } from '@/modules/orders/components/AssetsStep';
import { type AudienceMode, AudienceStep } from '@/modules/orders/components/AudienceStep';
import { BasicsStep } from '@/modules/orders/components/BasicsStep';
import { ComplianceStep } from '@/modules/orders/components/ComplianceStep';
import { GoalStep } from '@/modules/orders/components/GoalStep';
import { QuestionsStep } from '@/modules/orders/components/QuestionsStep';
import { ReviewStep } from '@/modules/orders/components/ReviewStep';
import { WizardStepNav } from '@/modules/orders/components/WizardStepNav';
import type { Order, Review } from '@/modules/orders/types/Order';
import { neighbours, parseStep, STEPS, type StepKey, wizardPath } from '@/modules/orders/utils/wizardSteps';
import { Button } from '@/modules/ui/components/Button';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

const AUDIENCE_MODES: AudienceMode[] = ['upload', 'fields', 'saved'];

/** The order wizard (`/orders/new`, `/orders/:id/edit?step=…`): one step at a time. */
export function OrderWizardPage({ params, query, navigate }: ScreenProps) {
  const orderId = params.id ? Number(params.id) : null;
  const step = orderId === null ? 'basics' : parseStep(query.get('step'));
  const [version, setVersion] = useState(0);
  const order = useApiResource<Order>(orderId === null ? null : `/client/orders/${orderId}`, version);
  const review = useApiResource<Review>(orderId === null ? null : `/client/orders/${orderId}/review`, version);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const go = useCallback((to: StepKey) => navigate(wizardPath(orderId, to)), [navigate, orderId]);
  const { previous, next } = neighbours(step);
  const savedThenNext = useCallback(() => {
    refresh();
    if (next) go(next);
  }, [refresh, next, go]);

  if (order.error?.status === 404) return <NotFoundPage />;
  if (orderId !== null && !order.data) return order.error ? <ErrorNote error={order.error} /> : <p>Loading the order…</p>;
  const current = order.data;
  if (current && current.status !== 'draft') {
    return (
      <section className="rounded-lg bg-white p-6 shadow-sm dark:bg-slate-900">
        <h1 className="text-lg font-semibold">{current.title}</h1>
        <p className="mt-1 text-sm">This order was submitted and can no longer be edited.</p>
        <Button className="mt-3" onClick={() => navigate(`/orders/${current.id}`)}>
          See its report
        </Button>
      </section>
    );
  }
  const mode = AUDIENCE_MODES.find((m) => m === query.get('source')) ?? 'upload';
  const title = STEPS.find((s) => s.key === step)?.label;
  return (
    <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
      <aside className="rounded-lg bg-white p-3 shadow-sm dark:bg-slate-900">
        <p className="mb-2 px-2 text-sm font-semibold">{current ? current.title : 'New order'}</p>
        <WizardStepNav current={step} saved={current !== null} review={review.data} onGo={go} />
      </aside>
      <section aria-labelledby="step-title" className="rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
        <h1 id="step-title" className="mb-3 text-lg font-semibold">
          {title}
        </h1>
        <ErrorBoundary area="This step">
          {step === 'basics' ? (
            <BasicsStep
              order={current}
              onSaved={(saved) => {
                refresh();
                navigate(wizardPath(saved.id, 'audience'));
              }}
            />
          ) : null}
          {current && step === 'audience' ? (
            <AudienceStep order={current} mode={mode} onMode={(m) => navigate(`${wizardPath(current.id, 'audience')}&source=${m}`)} onSaved={refresh} />
          ) : null}
          {current && step === 'assets' ? <AssetsStep order={current} onSaved={refresh} /> : null}
          {current && step === 'goal' ? <GoalStep order={current} onSaved={savedThenNext} /> : null}
          {current && step === 'questions' ? <QuestionsStep order={current} onSaved={savedThenNext} /> : null}
          {current && step === 'compliance' ? <ComplianceStep order={current} onSaved={savedThenNext} /> : null}
          {current && step === 'review' ? (
            <ReviewStep order={current} review={review.data} onGo={go} onSubmitted={() => navigate(`/orders/${current.id}`)} />
          ) : null}
        </ErrorBoundary>
        {current ? (
          <div className="mt-6 flex justify-between border-t border-slate-200 pt-3 dark:border-slate-700">
            <Button disabled={!previous} onClick={() => previous && go(previous)}>
              Back
            </Button>
            <Button disabled={!next} onClick={() => next && go(next)}>
              Next step
            </Button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
