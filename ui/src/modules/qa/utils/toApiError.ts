import { ApiError } from '@/modules/api/utils/ApiError';

/** The API's error as is; anything else (fetch failing) as "cannot be reached". */
export function toApiError(caught: unknown): ApiError {
  if (caught instanceof ApiError) return caught;
  return new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] });
}
