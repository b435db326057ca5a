import { ApiError } from '@/modules/api/utils/ApiError';
import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';

type Options = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON, or a FormData sent as multipart (uploads). */
  body?: unknown;
  signal?: AbortSignal;
  /** `blob` for binary answers (a recording); JSON otherwise. */
  as?: 'json' | 'blob';
};

/** The raw answer to `/api/v1<path>` as the signed-in user; a 401 refreshes the token once
 * and retries; an error answer throws an `ApiError`. */
export async function apiResponse(path: string, options: Options = {}): Promise<Response> {
  const form = options.body instanceof FormData;
  const send = (token: string | null) =>
    fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      signal: options.signal,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined && !form ? { 'Content-Type': 'application/json' } : {}),
      },
      body: form ? (options.body as FormData) : options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  let response = await send(await freshAccessToken());
  if (response.status === 401) {
    const renewed = await refreshSession();
    if (renewed) response = await send(renewed.accessToken);
  }
  if (!response.ok) throw await ApiError.fromResponse(response);
  return response;
}

/** Calls `/api/v1<path>` as the signed-in user and reads the JSON answer. */
export async function apiFetch<T>(path: string, options: Options = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  if (options.as === 'blob') return (await response.blob()) as T;
  return (await response.json()) as T;
}
