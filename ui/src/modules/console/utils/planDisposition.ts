import type { Answers, DispositionOption, Question } from '@/modules/console/types/ConsoleKit';
import { validateAnswers } from '@/modules/console/utils/validateAnswers';

export type DispositionPlan =
  | { kind: 'submit' }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'schedule-callback' }
  | { kind: 'confirm-dnc' };

/** What choosing a disposition leads to before it is sent. */
export function planDisposition(
  disposition: DispositionOption,
  questions: Question[],
  answers: Answers,
): DispositionPlan {
  switch (disposition.rule) {
    case 'qualified': {
      const errors = validateAnswers(questions, answers);
      return Object.keys(errors).length ? { kind: 'invalid', errors } : { kind: 'submit' };
    }
    case 'callback':
      return { kind: 'schedule-callback' };
    case 'dnc':
      return { kind: 'confirm-dnc' };
    default:
      return { kind: 'submit' };
  }
}
