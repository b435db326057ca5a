import { type ReactNode, useEffect, useRef } from 'react';

type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra keys the dialog handles itself (the console's shortcuts are off meanwhile). */
  onKey?: (event: KeyboardEvent) => void;
};

/** A modal: Esc closes it, focus moves into it and back out. */
export function Dialog({ title, onClose, children, onKey }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const latest = useRef({ onClose, onKey });
  latest.current = { onClose, onKey };
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('[autofocus], input, select, textarea, button');
    (first ?? box.current)?.focus();
    const handler = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        latest.current.onClose();
      } else latest.current.onKey?.(event);
    };
    window.addEventListener('keydown', handler);
    return () => {
      window.removeEventListener('keydown', handler);
      before?.focus?.();
    };
  }, []);
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/40 p-4">
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        className="max-h-[90vh] w-full max-w-md overflow-y-auto rounded-xl bg-white p-5 shadow-xl dark:bg-slate-900"
      >
        <h2 className="mb-3 text-lg font-semibold">{title}</h2>
        {children}
      </div>
    </div>
  );
}
