import { ApiError } from '@/modules/api/utils/ApiError';

/** Anything a call threw, as the API's error shape (a network failure included). */
export function toApiError(caught: unknown): ApiError {
  if (caught instanceof ApiError) return caught;
  return new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] });
}
