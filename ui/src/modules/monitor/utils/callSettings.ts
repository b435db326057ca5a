import type { CallSettingsForm, RetryField } from '@/modules/monitor/types/CallSettings';

type Settings = Record<string, unknown>;

/** engine/retry.py's defaults, shown when a campaign sets none. */
export const RETRY_DEFAULTS: Record<RetryField, number> = {
  busy: 10,
  no_answer: 60,
  machine: 240,
  failed: 30,
  callback: 1440,
  max_attempts: 3,
};

const section = (settings: Settings, key: string) => (settings[key] ?? {}) as Record<string, unknown>;

/** The form's values from a campaign's stored settings, defaults filled in. */
export function toForm(settings: Settings): CallSettingsForm {
  const window = section(settings, 'calling_window');
  const retry = section(settings, 'retry');
  const fields = Object.keys(RETRY_DEFAULTS) as RetryField[];
  return {
    start: String(window.start ?? '08:00'),
    end: String(window.end ?? '21:00'),
    days: Array.isArray(window.days) ? (window.days as number[]) : [0, 1, 2, 3, 4, 5, 6],
    retry: Object.fromEntries(fields.map((f) => [f, String(retry[f] ?? RETRY_DEFAULTS[f])])) as Record<RetryField, string>,
    wrapUp: String(settings.wrap_up_seconds ?? 30),
    priority: String(settings.priority ?? 0),
  };
}

/**
 * The settings to PATCH: the stored ones (script, questions… untouched) with the form's
 * sections replaced. Numbers stay as typed when they do not parse, so the server names the
 * field in its error.
 */
export function fromForm(settings: Settings, form: CallSettingsForm): Settings {
  const number = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
  return {
    ...settings,
    calling_window: { start: form.start, end: form.end, days: [...form.days].sort() },
    retry: Object.fromEntries(Object.entries(form.retry).map(([k, v]) => [k, number(v)])),
    wrap_up_seconds: number(form.wrapUp),
    priority: number(form.priority),
  };
}
