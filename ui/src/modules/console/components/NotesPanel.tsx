import { forwardRef } from 'react';

type Props = { value: string; onChange: (notes: string) => void; disabled: boolean };

export const NotesPanel = forwardRef<HTMLTextAreaElement, Props>(function NotesPanel(
  { value, onChange, disabled },
  ref,
) {
  return (
    <section aria-labelledby="notes-title" className="rounded-lg bg-white p-4 shadow-sm">
      <h2 id="notes-title" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
        Notes
      </h2>
      <textarea
        ref={ref}
        aria-labelledby="notes-title"
        data-testid="call-notes"
        rows={4}
        disabled={disabled}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={disabled ? 'Notes open with a call.' : 'What the callee said… (saved as you type)'}
        className="block w-full rounded-md border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50"
      />
    </section>
  );
});
