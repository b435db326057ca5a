import { ApiError } from '@/modules/api/utils/ApiError';
import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';

type Options = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
};

/** Calls `/api/v1<path>` as the signed-in user; a 401 refreshes the token once and retries. */
export async function apiFetch<T>(path: string, options: Options = {}): Promise<T> {
  // A FormData body (a file upload) goes as multipart, with the boundary the browser sets.
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
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
