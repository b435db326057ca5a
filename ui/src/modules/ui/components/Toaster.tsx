import { useEffect, useState } from 'react';

import { type Toast, toastStore } from '@/modules/ui/states/toastStore';

const TONE: Record<Toast['tone'], string> = {
  success: 'border-emerald-600 bg-emerald-50 text-emerald-950',
  error: 'border-rose-600 bg-rose-50 text-rose-950',
  info: 'border-sky-600 bg-sky-50 text-sky-950',
};

/** The toasts, announced politely to screen readers, each closable. */
export function Toaster() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => toastStore.subscribe(setToasts), []);
  return (
    <div aria-live="polite" role="region" aria-label="Notifications" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
      {toasts.map((toast) => (
        <div key={toast.id} data-testid="toast" className={`pointer-events-auto rounded-md border-l-4 p-3 shadow-lg ${TONE[toast.tone]}`}>
          <div className="flex items-start justify-between gap-2">
            <p className="text-sm font-semibold">{toast.title}</p>
            <button
              type="button"
              aria-label={`Dismiss: ${toast.title}`}
              onClick={() => toastStore.dismiss(toast.id)}
              className="rounded px-1 text-sm leading-none opacity-70 hover:opacity-100"
            >
              ×
            </button>
          </div>
          {toast.detail ? <p className="mt-0.5 text-xs">{toast.detail}</p> : null}
          {toast.link ? (
            <a href={toast.link.href} onClick={() => toastStore.dismiss(toast.id)} className="mt-1 inline-block text-xs font-semibold underline">
              {toast.link.label}
            </a>
          ) : null}
        </div>
      ))}
    </div>
  );
}
