import type { MissingStep } from '@/modules/orders/types/Order';

/** The wizard's steps in order, with the review fields (GET …/review) each one settles. */
export const STEPS = [
  { key: 'basics', label: 'Basics', fields: ['title', 'kind', 'notes'] },
  { key: 'audience', label: 'Audience', fields: ['audience'] },
  { key: 'assets', label: 'Assets', fields: ['assets'] },
  { key: 'goal', label: 'Lead goal and pacing', fields: ['lead_goal', 'pacing'] },
  { key: 'questions', label: 'Questions', fields: ['questions'] },
  { key: 'compliance', label: 'Compliance', fields: ['compliance_confirmed'] },
  { key: 'review', label: 'Review and submit', fields: [] },
] as const;

export type StepKey = (typeof STEPS)[number]['key'];

/** The step named in the URL, or the first one for anything else. */
export function parseStep(raw: string | null): StepKey {
  return STEPS.find((step) => step.key === raw)?.key ?? 'basics';
}

/** The step that settles a field, nested ones (`pacing.start_date`) by their first part. */
export function stepOf(field: string): StepKey {
  const head = field.split('.')[0];
  return STEPS.find((step) => (step.fields as readonly string[]).includes(head))?.key ?? 'review';
}

export function neighbours(step: StepKey): { previous: StepKey | null; next: StepKey | null } {
  const index = STEPS.findIndex((s) => s.key === step);
  return { previous: STEPS[index - 1]?.key ?? null, next: STEPS[index + 1]?.key ?? null };
}

/** The review's missing steps, grouped by the wizard step that fixes them. */
export function missingByStep(missing: MissingStep[]): Partial<Record<StepKey, MissingStep[]>> {
  const grouped: Partial<Record<StepKey, MissingStep[]>> = {};
  for (const gap of missing) (grouped[stepOf(gap.field)] ??= []).push(gap);
  return grouped;
}

/** The hash route of a step: a new order has only its basics until it is saved. */
export function wizardPath(orderId: number | null, step: StepKey): string {
  return orderId === null ? '/orders/new' : `/orders/${orderId}/edit?step=${step}`;
}
