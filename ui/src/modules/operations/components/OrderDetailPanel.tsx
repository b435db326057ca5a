import { useCallback, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { CampaignSearch } from '@/modules/operations/components/CampaignSearch';
import { ConfirmDialog } from '@/modules/forms/components/ConfirmDialog';
import { LinkedCampaigns } from '@/modules/operations/components/LinkedCampaigns';
import { OrderQuestions } from '@/modules/operations/components/OrderQuestions';
import type { CampaignLink } from '@/modules/operations/types/CampaignLink';
import { statusMoves } from '@/modules/operations/utils/statusMoves';
import { AudienceSummaryView } from '@/modules/orders/components/AudienceSummaryView';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import type { Order, QuestionVersion } from '@/modules/orders/types/Order';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';
import { plural } from '@/modules/ui/utils/plural';

/** A change waiting for confirmation; `done` says in words what it did. */
type Pending = { title: string; message: string; confirm: string; work: () => Promise<unknown>; done?: string };

type Props = { orderId: number; search: string; onSearch: (q: string) => void; onChanged: () => void };

/** One order for operations: what the client asked for, its campaigns, and its status. */
export function OrderDetailPanel({ orderId, search, onSearch, onChanged }: Props) {
  const [version, setVersion] = useState(0);
  const order = useApiResource<Order>(`/orders/${orderId}`, version);
  const links = useApiResource<CampaignLink[]>(`/orders/${orderId}/campaign-links`, version);
  const questions = useApiResource<QuestionVersion>(`/orders/${orderId}/questions`);
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const confirm = useCallback(() => {
    if (!pending) return;
    setDone(null);
    void run(async () => {
      await pending.work();
      setDone(pending.done ?? null);
      setPending(null);
      setVersion((v) => v + 1);
      onChanged();
    });
  }, [pending, run, onChanged]);
  if (order.error) return <ErrorNote error={order.error} />;
  if (!order.data) return <p className="text-sm">Loading the order…</p>;
  const o = order.data;
  const linked = links.data ?? [];
  const base = `/orders/${orderId}/campaign-links`;
  const asked = questions.data?.questions ?? [];
  return (
    <div className="space-y-4" data-testid="order-detail">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{o.title}</h2>
        <OrderStatusBadge status={o.status} />
        <span className="ml-auto flex gap-2">
          {statusMoves(o.status).map((move) => (
            <Button
              key={move.to}
              tone={move.to === 'cancelled' ? 'danger' : 'neutral'}
              onClick={() =>
                setPending({
                  title: move.label,
                  message: `Move “${o.title}” from ${o.status.replace('_', ' ')} to ${move.to.replace('_', ' ')}? The client is notified.`,
                  confirm: move.label,
                  work: () => apiFetch(`/orders/${orderId}/status`, { method: 'POST', body: { status: move.to } }),
                })
              }
            >
              {move.label}
            </Button>
          ))}
        </span>
      </div>
      <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Client</dt>
        <dd>
          {o.client_name} (#{o.client_id})
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Type, goal</dt>
        <dd>
          {o.kind}, {o.lead_goal ?? '?'} leads
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Pacing</dt>
        <dd>
          {o.pacing.start_date ?? '?'} to {o.pacing.end_date ?? '?'}
          {o.pacing.leads_per_week ? `, ${o.pacing.leads_per_week} a week` : ''}
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Audience</dt>
        <dd>
          <AudienceSummaryView audience={o.audience} />
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Questions</dt>
        <dd>
          <OrderQuestions questions={asked} />
        </dd>
        {o.notes ? (
          <>
            <dt className="text-slate-600 dark:text-slate-400">Notes</dt>
            <dd className="whitespace-pre-wrap">{o.notes}</dd>
          </>
        ) : null}
      </dl>
      {/* while a dialog is open its own note shows the refusal (the panel is behind it) */}
      <ErrorNote error={(pending ? null : error) ?? links.error} withFields />
      {done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          {done}
        </p>
      ) : null}
      <LinkedCampaigns
        links={linked}
        version={version}
        onUnlink={(link) =>
          setPending({
            title: 'Unlink campaign',
            message: `Unlink “${link.campaign_name}” from this order? Its leads stop counting for the client.`,
            confirm: 'Unlink',
            work: () => apiFetch(`${base}/${link.campaign_id}`, { method: 'DELETE' }),
          })
        }
        onCopyQuestions={(link) =>
          setPending({
            title: 'Copy questions',
            message: `Replace the qualification questions of “${link.campaign_name}” with this order’s ${plural(asked.length, 'question')} (qualifying answers included)? The campaign’s current questions will be replaced; leads are scored against the new ones.`,
            confirm: 'Replace questions',
            work: () => apiFetch(`/campaigns/${link.campaign_id}/questions/from-order/${orderId}`, { method: 'POST' }),
            done: `“${link.campaign_name}” now asks this order’s ${plural(asked.length, 'question')}, with its qualifying answers.`,
          })
        }
      />
      {o.status === 'draft' ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">A draft cannot have campaigns linked yet.</p>
      ) : (
        <CampaignSearch
          query={search}
          clientId={o.client_id}
          linked={new Set(linked.map((l) => l.campaign_id))}
          onQuery={onSearch}
          onLink={(campaign) =>
            setPending({
              title: 'Link campaign',
              message: `Link “${campaign.name}” to “${o.title}”? Its approved leads go to the client.`,
              confirm: 'Link',
              work: () => apiFetch(base, { method: 'POST', body: { campaign_id: campaign.id } }),
            })
          }
        />
      )}
      {pending ? (
        <ConfirmDialog title={pending.title} confirm={pending.confirm} tone="primary" busy={busy} onConfirm={confirm} onCancel={() => setPending(null)}>
          <p>{pending.message}</p>
          <ErrorNote error={error} withFields />
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
