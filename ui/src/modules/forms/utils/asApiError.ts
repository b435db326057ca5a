import { ApiError } from '@/modules/api/utils/ApiError';

/** Anything thrown by a call as an ApiError, so the page can show it in words. */
export function asApiError(caught: unknown): ApiError {
  if (caught instanceof ApiError) return caught;
  return new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] });
}
