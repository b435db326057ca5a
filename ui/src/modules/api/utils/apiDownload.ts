import { apiResponse } from '@/modules/api/utils/apiFetch';

/** Downloads `/api/v1<path>` (a file the API streams) as the signed-in user, under its name. */
export async function apiDownload(path: string, fallbackName: string): Promise<void> {
  const response = await apiResponse(path);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
