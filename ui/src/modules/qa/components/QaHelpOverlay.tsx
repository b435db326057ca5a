import { Dialog } from '@/modules/console/components/Dialog';
import { QA_SHORTCUTS } from '@/modules/qa/utils/shortcuts';

export function QaHelpOverlay({ onClose }: { onClose: () => void }) {
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
          {QA_SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.keys} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="py-1.5 pr-4">
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono dark:border-slate-600 dark:bg-slate-800">{shortcut.keys}</kbd>
              </td>
              <td className="py-1.5">{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-300">
        With leads checked, A, R and U decide all of them at once. Shortcuts are off while you type in a field.
      </p>
    </Dialog>
  );
}
