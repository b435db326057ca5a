import { type FormEvent, useState } from 'react';

import { Dialog } from '@/modules/console/components/Dialog';
import { zonedLocalInput, zonedLocalToIso } from '@/modules/console/utils/zonedTime';

type Props = {
  zone: string;
  onSchedule: (callbackAt: string, to: 'me' | 'anyone') => void;
  onClose: () => void;
  error: string | null;
};

/** A callback in the callee's time zone, to this agent or to anyone on the campaign. */
export function CallbackDialog({ zone, onSchedule, onClose, error }: Props) {
  const [local, setLocal] = useState(() => zonedLocalInput(zone, new Date(Date.now() + 60 * 60_000)));
  const [to, setTo] = useState<'me' | 'anyone'>('me');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSchedule(zonedLocalToIso(local, zone), to);
  };
  return (
    <Dialog title="Schedule a callback" onClose={onClose}>
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium">
          When, in the callee's time ({zone})
          <input
            type="datetime-local"
            required
            value={local}
            onChange={(e) => setLocal(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <fieldset className="flex gap-4 text-sm">
          <legend className="mb-1 font-medium">Who calls back</legend>
          <label className="flex items-center gap-1">
            <input type="radio" name="callback-to" checked={to === 'me'} onChange={() => setTo('me')} /> Me
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="callback-to" checked={to === 'anyone'} onChange={() => setTo('anyone')} /> Anyone
          </label>
        </fieldset>
        {error ? <p role="alert" className="text-sm text-rose-700">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-md border px-3 py-1.5 text-sm">
            Cancel
          </button>
          <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white">
            Schedule callback
          </button>
        </div>
      </form>
    </Dialog>
  );
}
