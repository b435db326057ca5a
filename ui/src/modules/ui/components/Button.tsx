import type { ButtonHTMLAttributes } from 'react';

type Tone = 'primary' | 'neutral' | 'danger' | 'success' | 'warning';

const TONES: Record<Tone, string> = {
  primary: 'bg-sky-700 text-white hover:bg-sky-800 disabled:bg-sky-300',
  neutral: 'bg-white text-slate-800 border border-slate-300 hover:bg-slate-100 disabled:text-slate-400',
  danger: 'bg-rose-700 text-white hover:bg-rose-800 disabled:bg-rose-300',
  success: 'bg-emerald-700 text-white hover:bg-emerald-800 disabled:bg-emerald-300',
  warning: 'bg-amber-500 text-slate-900 hover:bg-amber-600 disabled:bg-amber-200',
};

type Props = ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; shortcut?: string };

export function Button({ tone = 'neutral', shortcut, className = '', children, ...rest }: Props) {
  return (
    <button
      type="button"
      aria-keyshortcuts={shortcut}
      className={`inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed ${TONES[tone]} ${className}`}
      {...rest}
    >
      {children}
      {shortcut ? (
        <kbd className="rounded border border-current/40 px-1 font-mono text-xs">
          {shortcut}
        </kbd>
      ) : null}
    </button>
  );
}
