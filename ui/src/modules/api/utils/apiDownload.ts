import { ApiError } from '@/modules/api/utils/ApiError';
import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';

/**
 * Downloads `/api/v1<path>` as the signed-in user and hands it to the browser as `filename`:
 * a plain link cannot send the bearer token.
 */
export async function apiDownload(path: string, filename: string): Promise<void> {
  const send = (token: string | null) =>
    fetch(`/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  let response = await send(await freshAccessToken());
  if (response.status === 401) {
    const renewed = await refreshSession();
    if (renewed) response = await send(renewed.accessToken);
  }
  if (!response.ok) throw await ApiError.fromResponse(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
