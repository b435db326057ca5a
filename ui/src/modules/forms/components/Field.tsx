import { type ReactElement, cloneElement, useId } from 'react';

type Props = {
  label: string;
  /** The API's message for this field, shown under it and tied to it for screen readers. */
  error?: string;
  hint?: string;
  className?: string;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
};

export const INPUT =
  'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100';

/** A labelled control with its hint and error. */
export function Field({ label, error, hint, className = '', children }: Props) {
  const id = useId();
  const note = `${id}-note`;
  return (
    <div className={`flex flex-col gap-1 text-sm ${className}`}>
      <label htmlFor={id} className="font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      {cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error || hint ? note : undefined,
      })}
      {error || hint ? (
        <p id={note} className={error ? 'text-rose-700 dark:text-rose-300' : 'text-slate-600 dark:text-slate-400'}>
          {error ?? hint}
        </p>
      ) : null}
    </div>
  );
}
