import type { UploadProgress as Progress } from '@/modules/api/utils/apiUpload';

/** A labelled progress bar for an upload in flight. */
export function UploadProgress({ label, progress }: { label: string; progress: Progress | null }) {
  if (!progress) return null;
  const percent = progress.total ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <div className="text-sm">
      <label className="block" htmlFor="upload-progress">
        {label}: {percent}%
      </label>
      <progress id="upload-progress" data-testid="upload-progress" className="h-2 w-full accent-sky-700" max={100} value={percent} />
    </div>
  );
}
