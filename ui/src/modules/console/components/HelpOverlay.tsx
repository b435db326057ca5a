import type { ReactNode } from 'react';

import { Dialog } from '@/modules/console/components/Dialog';

type Shortcut = { keys: string; action: string };

/** A screen's keyboard shortcuts in a dialog that `?` (or Esc) closes again. */
export function HelpOverlay({ shortcuts, note, onClose }: { shortcuts: Shortcut[]; note: ReactNode; onClose: () => void }) {
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={onClose}
      onKey={(event) => {
        if (event.key === '?') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <table className="w-full text-sm">
        <tbody>
          {shortcuts.map((shortcut) => (
            <tr key={shortcut.keys} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="py-1.5 pr-4">
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono dark:border-slate-600 dark:bg-slate-800">{shortcut.keys}</kbd>
              </td>
              <td className="py-1.5">{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-300">{note}</p>
    </Dialog>
  );
}
