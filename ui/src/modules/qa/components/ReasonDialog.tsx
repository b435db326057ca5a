import { type FormEvent, useState } from 'react';

import { Dialog } from '@/modules/console/components/Dialog';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  title: string;
  action: string;
  onSubmit: (reason: string) => void;
  onClose: () => void;
};

/** Asks why (rejecting and returning need a reason); Enter sends, Shift+Enter a new line. */
export function ReasonDialog({ title, action, onSubmit, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    onSubmit(reason.trim());
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={send} className="space-y-3">
        <label className="block text-sm font-medium">
          Reason
          <textarea
            autoFocus
            value={reason}
            maxLength={500}
            aria-invalid={missing}
            aria-describedby={missing ? 'reason-missing' : undefined}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) send(e);
            }}
            className="mt-1 block h-24 w-full rounded-md border border-slate-300 p-2 text-sm dark:border-slate-600 dark:bg-slate-800"
          />
        </label>
        {missing ? <p id="reason-missing" className="text-sm text-rose-700">Say why.</p> : null}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" tone="danger">{action}</Button>
        </div>
      </form>
    </Dialog>
  );
}
