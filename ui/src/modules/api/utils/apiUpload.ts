import { ApiError } from '@/modules/api/utils/ApiError';
import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';

/** How far an upload is: bytes sent of the total (the total is 0 until it is known). */
export type UploadProgress = { loaded: number; total: number };

function send(
  path: string,
  form: FormData,
  token: string | null,
  onProgress: (progress: UploadProgress) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1${path}`);
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    // fetch() cannot report upload progress; XMLHttpRequest's upload events can.
    request.upload.onprogress = (event) =>
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () =>
      reject(new ApiError({ status: 0, code: 'network', message: 'The upload did not reach the server.', errors: [] }));
    request.send(form);
  });
}

/** POSTs one file as multipart `file` to `/api/v1<path>`, reporting progress; a 401 refreshes once. */
export async function apiUpload<T>(
  path: string,
  file: File,
  onProgress: (progress: UploadProgress) => void = () => {},
): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  let answer = await send(path, form, await freshAccessToken(), onProgress);
  if (answer.status === 401) {
    const renewed = await refreshSession();
    if (renewed) answer = await send(path, form, renewed.accessToken, onProgress);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw await ApiError.fromResponse(new Response(answer.text || null, { status: answer.status }));
  }
  return JSON.parse(answer.text) as T;
}
