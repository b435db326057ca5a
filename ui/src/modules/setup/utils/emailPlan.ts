/** One step of an email sequence as the form edits it: one variant is a plain step. */
export type VariantForm = { template_id: string; weight: string };
export type StepForm = { delay_days: string; variants: VariantForm[] };
export type PlanForm = { sender_profile_id: string; rate_per_minute: string; steps: StepForm[] };

type Json = Record<string, unknown>;
const num = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** The form's view of `settings.email` (docs/email.md). */
export function planForm(settings: Json): PlanForm {
  const email = (settings.email ?? {}) as Json;
  const steps = Array.isArray(email.steps) ? (email.steps as Json[]) : [];
  return {
    sender_profile_id: email.sender_profile_id ? String(email.sender_profile_id) : '',
    rate_per_minute: String(email.rate_per_minute ?? 600),
    steps: steps.map((step, n) => ({
      delay_days: String(step.delay_days ?? (n === 0 ? 0 : 3)),
      variants: Array.isArray(step.variants)
        ? (step.variants as Json[]).map((v) => ({ template_id: String(v.template_id ?? ''), weight: String(v.weight ?? 100) }))
        : [{ template_id: String(step.template_id ?? ''), weight: '100' }],
    })),
  };
}

/** The settings to save: the plan over the campaign's other email settings (window, caps…). */
export function planSettings(settings: Json, form: PlanForm): Json {
  const email: Json = { ...((settings.email ?? {}) as Json), rate_per_minute: num(form.rate_per_minute) };
  if (form.sender_profile_id) email.sender_profile_id = Number(form.sender_profile_id);
  else delete email.sender_profile_id;
  email.steps = form.steps.map((step) => {
    const delay_days = num(step.delay_days);
    if (step.variants.length === 1) return { template_id: num(step.variants[0].template_id), delay_days };
    return { delay_days, variants: step.variants.map((v) => ({ template_id: num(v.template_id), weight: num(v.weight) })) };
  });
  return { ...settings, email };
}

/** Even split of 100 over `count` variants, the remainder on the first ones (A/B/n). */
export function evenWeights(count: number): string[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => String(base + (i < 100 - base * count ? 1 : 0)));
}

/** The weights of a step, summed: the form warns before the server refuses. */
export function weightTotal(step: StepForm): number {
  return step.variants.reduce((sum, v) => sum + (Number(v.weight) || 0), 0);
}
