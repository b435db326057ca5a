import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Order } from '@/modules/orders/types/Order';
import { fieldErrors } from '@/modules/orders/utils/fieldErrors';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { TextField } from '@/modules/ui/components/TextField';
import { useAction } from '@/modules/ui/hooks/useAction';

const number = (text: string) => (text.trim() ? Number(text) : null);

/** How many leads, how fast and when; the server checks the dates against today. */
export function GoalStep({ order, onSaved }: { order: Order; onSaved: () => void }) {
  const [goal, setGoal] = useState(order.lead_goal?.toString() ?? '');
  const [perWeek, setPerWeek] = useState(order.pacing.leads_per_week?.toString() ?? '');
  const [start, setStart] = useState(order.pacing.start_date ?? '');
  const [end, setEnd] = useState(order.pacing.end_date ?? '');
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const save = () =>
    run(async () => {
      const pacing = { leads_per_week: number(perWeek), start_date: start || null, end_date: end || null };
      await apiFetch<Order>(`/client/orders/${order.id}`, { method: 'PATCH', body: { lead_goal: number(goal), pacing } });
      onSaved();
    });
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Lead goal" type="number" min={1} max={1_000_000} value={goal} onChange={(e) => setGoal(e.target.value)} error={errors.lead_goal} hint="Approved leads you want delivered." />
        <TextField label="Leads per week (optional)" type="number" min={1} value={perWeek} onChange={(e) => setPerWeek(e.target.value)} error={errors['pacing.leads_per_week']} />
        <TextField label="Start date" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={errors['pacing.start_date']} />
        <TextField label="End date" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={errors['pacing.end_date']} />
      </div>
      <ErrorNote error={error} />
      <Button type="submit" tone="primary" disabled={busy}>
        Save and continue
      </Button>
    </form>
  );
}
