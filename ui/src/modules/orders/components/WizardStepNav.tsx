import type { Review } from '@/modules/orders/types/Order';
import { missingByStep, STEPS, type StepKey } from '@/modules/orders/utils/wizardSteps';

type Props = { current: StepKey; saved: boolean; review: Review | null; onGo: (step: StepKey) => void };

/** The steps in order, each marked done or to do; all but the first wait for a saved draft. */
export function WizardStepNav({ current, saved, review, onGo }: Props) {
  const gaps = missingByStep(review?.missing ?? []);
  return (
    <nav aria-label="Order steps">
      <ol className="space-y-1">
        {STEPS.map((step, i) => {
          const todo = Boolean(gaps[step.key]?.length);
          const state = !saved ? '' : todo ? 'to do' : step.key === 'review' ? '' : 'done';
          return (
            <li key={step.key}>
              <button
                type="button"
                disabled={!saved && step.key !== 'basics'}
                aria-current={step.key === current ? 'step' : undefined}
                onClick={() => onGo(step.key)}
                data-testid={`step-${step.key}`}
                data-state={state}
                className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-500 aria-[current=step]:bg-sky-100 aria-[current=step]:font-semibold dark:hover:bg-slate-800 dark:aria-[current=step]:bg-sky-900"
              >
                <span className="w-5 text-right tabular-nums">{i + 1}.</span>
                <span className="flex-1">{step.label}</span>
                {state ? (
                  <span className={`text-xs ${todo ? 'text-amber-800 dark:text-amber-300' : 'text-emerald-800 dark:text-emerald-300'}`}>{state}</span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
