import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Order, OrderKind } from '@/modules/orders/types/Order';
import { fieldErrors } from '@/modules/orders/utils/fieldErrors';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { TextField } from '@/modules/ui/components/TextField';
import { useAction } from '@/modules/ui/hooks/useAction';

const KINDS: { value: OrderKind; label: string; hint: string }[] = [
  { value: 'telemarketing', label: 'Telemarketing', hint: 'Agents call the audience and qualify leads.' },
  { value: 'email', label: 'Email', hint: 'An email programme; needs a creative asset.' },
  { value: 'combo', label: 'Email and telemarketing', hint: 'Both; needs a creative asset.' },
];

type Props = { order: Order | null; onSaved: (order: Order) => void };

/** Title, type and notes; saving a new order creates the draft. */
export function BasicsStep({ order, onSaved }: Props) {
  const [title, setTitle] = useState(order?.title ?? '');
  const [kind, setKind] = useState<OrderKind>(order?.kind ?? 'telemarketing');
  const [notes, setNotes] = useState(order?.notes ?? '');
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const save = () =>
    run(async () => {
      const body = { title, kind, notes: notes || null };
      const saved = order
        ? await apiFetch<Order>(`/client/orders/${order.id}`, { method: 'PATCH', body })
        : await apiFetch<Order>('/client/orders', { method: 'POST', body });
      onSaved(saved);
    });
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <TextField label="Order title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} error={errors.title} />
      <fieldset>
        <legend className="text-sm font-medium">Type</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-3">
          {KINDS.map((k) => (
            <div key={k.value} className="flex gap-2 rounded-md border border-slate-300 p-2 text-sm has-[:checked]:border-sky-600 dark:border-slate-600">
              <input
                id={`kind-${k.value}`}
                type="radio"
                name="kind"
                value={k.value}
                checked={kind === k.value}
                onChange={() => setKind(k.value)}
                aria-describedby={`kind-${k.value}-hint`}
              />
              <span>
                <label htmlFor={`kind-${k.value}`} className="font-medium">
                  {k.label}
                </label>
                <span id={`kind-${k.value}-hint`} className="block text-xs text-slate-600 dark:text-slate-400">
                  {k.hint}
                </span>
              </span>
            </div>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="order-notes" className="block text-sm font-medium">
          Notes for the operations team (optional)
        </label>
        <textarea
          id="order-notes"
          value={notes}
          maxLength={5000}
          onChange={(e) => setNotes(e.target.value)}
          className="mt-1 h-20 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
        />
      </div>
      <ErrorNote error={error} withFields={!errors.title} />
      <Button type="submit" tone="primary" disabled={busy || !title.trim()}>
        {order ? 'Save and continue' : 'Create draft and continue'}
      </Button>
    </form>
  );
}
