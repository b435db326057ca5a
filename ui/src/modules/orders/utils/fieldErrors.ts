import type { ApiError } from '@/modules/api/utils/ApiError';

/** The API's field errors by field, so each lands beside its input. */
export function fieldErrors(error: ApiError | null): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const e of error?.errors ?? []) byField[e.field] ??= e.message;
  return byField;
}
