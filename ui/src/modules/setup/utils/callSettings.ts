/** The form's view of a call campaign's settings (calling window, retry rules, caller ID). */
export type CallSettingsForm = {
  start: string;
  end: string;
  days: number[];
  busy: string;
  no_answer: string;
  machine: string;
  failed: string;
  callback: string;
  max_attempts: string;
  caller_id: string;
  wrap_up_seconds: string;
};

export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const RETRY_FIELDS = ['busy', 'no_answer', 'machine', 'failed', 'callback'] as const;
const RETRY_DEFAULTS = { busy: 10, no_answer: 60, machine: 240, failed: 30, callback: 1440, max_attempts: 3 };

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const str = (value: unknown, fallback: unknown) => String(value ?? fallback);

export function callSettingsForm(settings: Json): CallSettingsForm {
  const window = obj(settings.calling_window);
  const retry = obj(settings.retry);
  return {
    start: str(window.start, '08:00'),
    end: str(window.end, '21:00'),
    days: Array.isArray(window.days) ? (window.days as number[]) : [0, 1, 2, 3, 4],
    busy: str(retry.busy, RETRY_DEFAULTS.busy),
    no_answer: str(retry.no_answer, RETRY_DEFAULTS.no_answer),
    machine: str(retry.machine, RETRY_DEFAULTS.machine),
    failed: str(retry.failed, RETRY_DEFAULTS.failed),
    callback: str(retry.callback, RETRY_DEFAULTS.callback),
    max_attempts: str(retry.max_attempts, RETRY_DEFAULTS.max_attempts),
    caller_id: str(settings.caller_id, ''),
    wrap_up_seconds: str(settings.wrap_up_seconds, 30),
  };
}

/** A number where one was typed, else the text itself, so the server names what is wrong. */
const num = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** The settings to save: the form's sections over whatever else the campaign keeps. */
export function callSettings(base: Json, form: CallSettingsForm): Json {
  const retry: Json = { max_attempts: num(form.max_attempts) };
  for (const field of RETRY_FIELDS) retry[field] = num(form[field]);
  const next: Json = {
    ...base,
    calling_window: { start: form.start, end: form.end, days: [...form.days].sort() },
    retry,
    wrap_up_seconds: num(form.wrap_up_seconds),
  };
  if (form.caller_id.trim()) next.caller_id = form.caller_id.trim();
  else delete next.caller_id;
  return next;
}
