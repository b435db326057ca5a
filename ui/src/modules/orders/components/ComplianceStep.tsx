import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Order } from '@/modules/orders/types/Order';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

/** The client confirms the compliance terms; the server records who and when. */
export function ComplianceStep({ order, onSaved }: { order: Order; onSaved: () => void }) {
  const [confirmed, setConfirmed] = useState(order.compliance_confirmed);
  const { busy, error, run } = useAction();
  const save = () =>
    run(async () => {
      await apiFetch<Order>(`/client/orders/${order.id}`, { method: 'PATCH', body: { compliance_confirmed: confirmed } });
      onSaved();
    });
  return (
    <div className="space-y-4 text-sm">
      <ul className="list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
        <li>The audience and assets you provide may lawfully be used for this programme.</li>
        <li>Contacts who opt out or ask not to be called are suppressed for every later order.</li>
        <li>Leads are delivered for your own use and are not resold.</li>
      </ul>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />I confirm the compliance terms above
      </label>
      {order.compliance_confirmed_at ? (
        <p className="text-slate-600 dark:text-slate-400">Confirmed {new Date(order.compliance_confirmed_at).toLocaleString()}.</p>
      ) : null}
      <ErrorNote error={error} withFields />
      <Button tone="primary" disabled={busy} onClick={() => void save()}>
        Save and continue
      </Button>
    </div>
  );
}
