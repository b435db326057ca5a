import type { ApiError } from '@/modules/api/utils/ApiError';

/** The API's message for one field (`settings.calling_window.start`), if it named it. */
export function fieldMessage(error: ApiError | null, field: string): string | undefined {
  return error?.errors.find((e) => e.field === field || e.field === `body.${field}`)?.message;
}
