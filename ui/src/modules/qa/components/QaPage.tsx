import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { BulkBar } from '@/modules/qa/components/BulkBar';
import { DecisionError } from '@/modules/qa/components/DecisionError';
import { LeadDrawer } from '@/modules/qa/components/LeadDrawer';
import { LeadFiltersBar } from '@/modules/qa/components/LeadFiltersBar';
import { LeadGrid } from '@/modules/qa/components/LeadGrid';
import { HelpOverlay } from '@/modules/console/components/HelpOverlay';
import { QA_SHORTCUTS } from '@/modules/qa/utils/shortcuts';
import { ReasonDialog } from '@/modules/qa/components/ReasonDialog';
import { BULK_MAX, useLeadDecisions } from '@/modules/qa/hooks/useLeadDecisions';
import { MAX_ROWS, useLeadRows } from '@/modules/qa/hooks/useLeadRows';
import { useQaLive } from '@/modules/qa/hooks/useQaLive';
import { useQaShortcuts } from '@/modules/qa/hooks/useQaShortcuts';
import type { Verdict } from '@/modules/qa/types/Decision';
import type { LeadDetail } from '@/modules/qa/types/LeadDetail';
import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import type { QaLead } from '@/modules/qa/types/QaLead';
import { filtersFromQuery, qaRoute } from '@/modules/qa/utils/leadFilters';
import { toggleSelection } from '@/modules/qa/utils/toggleSelection';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

type Campaign = { id: number; name: string };
type Asking = null | 'help' | 'rejected' | 'returned';

const DECIDERS = ['admin', 'qa_analyst'];

/** The QA workspace: the leads grid, the lead drawer, single and bulk decisions by keyboard. */
export function QaPage({ user, query, navigate }: ScreenProps) {
  const search = query.toString();
  const filters = useMemo(() => filtersFromQuery(new URLSearchParams(search)), [search]);
  const leadId = Number(new URLSearchParams(search).get('lead')) || null;
  const canDecide = DECIDERS.includes(user.role);

  const [listVersion, setListVersion] = useState(0);
  const list = useLeadRows(filters, listVersion);
  const campaigns = useApiResource<{ items: Campaign[] }>('/campaigns?limit=500');
  const [detailVersion, setDetailVersion] = useState(0);
  const [analysisVersion, setAnalysisVersion] = useState(0);
  const detail = useApiResource<LeadDetail>(leadId ? `/leads/${leadId}` : null, detailVersion);
  const decisions = useLeadDecisions(list.update);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const anchor = useRef<number | null>(null);
  const [ticks, setTicks] = useState<Record<string, boolean>>({});
  const [asking, setAsking] = useState<Asking>(null);
  const audio = useRef<HTMLAudioElement>(null);

  useQaLive({
    onRows: list.apply,
    onLeadChanged: (id) => id === leadId && setDetailVersion((v) => v + 1),
    onAnalysisEnded: (id) => id === leadId && setAnalysisVersion((v) => v + 1),
    onResync: () => {
      setListVersion((v) => v + 1);
      setDetailVersion((v) => v + 1);
      setAnalysisVersion((v) => v + 1);
    },
  });

  const { update: updateRows } = list;
  const { clearError } = decisions;
  useEffect(() => {
    if (detail.data) updateRows([detail.data]);
  }, [detail.data, updateRows]);
  useEffect(() => {
    setTicks({});
    clearError();
  }, [leadId]); // only on a new lead: it starts with no ticks and no old error

  const names = useMemo(() => new Map((campaigns.data?.items ?? []).map((c) => [c.id, c.name])), [campaigns.data]);
  const campaignName = useCallback((id: number) => names.get(id) ?? `Campaign #${id}`, [names]);
  const agents = useMemo(() => agentsOf(list.rows), [list.rows]);
  const order = useMemo(() => list.rows.map((row) => row.id), [list.rows]);

  const open = (id: number | null) => navigate(qaRoute(filters, id));
  const setFilters = (next: LeadFilters) => {
    setChecked(new Set());
    navigate(qaRoute(next, leadId));
  };
  const step = (delta: number) => {
    if (order.length === 0) return;
    const at = leadId === null ? -1 : order.indexOf(leadId);
    const next = at < 0 ? 0 : Math.min(order.length - 1, Math.max(0, at + delta));
    open(order[next]);
  };
  const check = (id: number, shift: boolean) => {
    setChecked((current) => toggleSelection(current, order, id, anchor.current, shift));
    anchor.current = id;
  };

  const decide = async (verdict: Verdict, reason: string | null) => {
    setAsking(null);
    if (checked.size > 0) {
      const leads = list.rows.filter((row) => checked.has(row.id));
      if (leads.length > BULK_MAX) return;
      if (await decisions.decideMany(leads, verdict, reason)) setChecked(new Set());
      setDetailVersion((v) => v + 1);
      return;
    }
    const lead = list.rows.find((row) => row.id === leadId) ?? detail.data;
    if (!lead) return;
    const decided = await decisions.decideOne(lead, verdict, reason, ticks);
    setDetailVersion((v) => v + 1);
    if (decided) step(1);
  };
  const ask = (verdict: Verdict) => {
    if (!canDecide || decisions.busy || (checked.size === 0 && leadId === null)) return;
    if (verdict === 'approved') void decide(verdict, null);
    else setAsking(verdict);
  };

  useQaShortcuts(
    {
      next: () => step(1),
      previous: () => step(-1),
      approve: () => ask('approved'),
      reject: () => ask('rejected'),
      giveBack: () => ask('returned'),
      togglePlay: () => (audio.current?.paused ? void audio.current.play() : audio.current?.pause()),
      check: () => leadId !== null && check(leadId, false),
      confirmChecklist: () => {
        const manual = (detail.data?.checklist ?? []).filter((item) => !item.automatic);
        if (canDecide) setTicks((current) => ({ ...current, ...Object.fromEntries(manual.map((item) => [item.key, true])) }));
      },
      help: () => setAsking('help'),
    },
    asking === null,
  );

  const tooMany = checked.size > BULK_MAX;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">QA workspace</h1>
        <button type="button" onClick={() => setAsking('help')} className="text-sm text-sky-800 underline dark:text-sky-300">
          Keyboard shortcuts (?)
        </button>
      </div>
      <LeadFiltersBar filters={filters} campaigns={campaigns.data?.items ?? []} agents={agents} onChange={setFilters} />
      <BulkBar count={checked.size} busy={decisions.busy} canDecide={canDecide} onDecide={ask} onClear={() => setChecked(new Set())} />
      {tooMany ? <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">Check at most {BULK_MAX} leads for one decision.</p> : null}
      {checked.size > 0 && decisions.error ? <DecisionError error={decisions.error} onDismiss={clearError} /> : null}
      <ListStatus loading={list.loading} count={list.rows.length} truncated={list.truncated} error={list.error?.message ?? null} onRetry={() => setListVersion((v) => v + 1)} />
      <div className="flex h-[calc(100vh-15rem)] min-h-96 gap-3">
        <div className="min-w-0 flex-1">
          <LeadGrid rows={list.rows} campaignName={campaignName} currentId={leadId} checked={checked} onOpen={open} onCheck={check} />
        </div>
        {leadId !== null ? (
          <div className="w-[30rem] shrink-0">
            <ErrorBoundary area="The lead">
              {detail.data && detail.data.id === leadId ? (
                <LeadDrawer
                  lead={detail.data}
                  campaign={campaignName(detail.data.campaign_id)}
                  audio={audio}
                  version={detailVersion}
                  analysisVersion={analysisVersion}
                  canDecide={canDecide}
                  busy={decisions.busy}
                  error={checked.size === 0 ? decisions.error : null}
                  ticks={ticks}
                  onTick={(key, done) => setTicks((current) => ({ ...current, [key]: done }))}
                  onDecide={ask}
                  onDismissError={clearError}
                  onReload={() => setDetailVersion((v) => v + 1)}
                  reviewerName={(id) => (id === user.id ? 'you' : id === null ? 'the system' : `reviewer #${id}`)}
                  onClose={() => open(null)}
                />
              ) : (
                <p role={detail.error ? 'alert' : 'status'} className="rounded-lg bg-white p-3 text-sm dark:bg-slate-900">
                  {detail.error ? detail.error.message : 'Loading the lead…'}
                </p>
              )}
            </ErrorBoundary>
          </div>
        ) : null}
      </div>
      {asking === 'help' ? (
        <HelpOverlay
          shortcuts={QA_SHORTCUTS}
          note="With leads checked, A, R and U decide all of them at once. Shortcuts are off while you type in a field."
          onClose={() => setAsking(null)}
        />
      ) : null}
      {asking === 'rejected' || asking === 'returned' ? (
        <ReasonDialog
          title={`${asking === 'rejected' ? 'Reject' : 'Return'} ${checked.size > 0 ? `${checked.size} checked leads` : `lead #${leadId}`}`}
          action={asking === 'rejected' ? 'Reject' : 'Return'}
          onSubmit={(reason) => void decide(asking, reason)}
          onClose={() => setAsking(null)}
        />
      ) : null}
    </div>
  );
}

/** The agents of the rows, by name, for the agent filter. */
function agentsOf(rows: QaLead[]): Map<number, string> {
  const agents = new Map<number, string>();
  for (const row of rows) {
    if (row.agent_id !== null) agents.set(row.agent_id, row.agent_name ?? `Agent #${row.agent_id}`);
  }
  return new Map([...agents].sort((a, b) => a[1].localeCompare(b[1])));
}

type StatusProps = { loading: boolean; count: number; truncated: boolean; error: string | null; onRetry: () => void };

function ListStatus({ loading, count, truncated, error, onRetry }: StatusProps) {
  if (error) {
    return (
      <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
        The leads could not be loaded: {error}{' '}
        <button type="button" className="underline" onClick={onRetry}>Try again</button>
      </p>
    );
  }
  const text = loading
    ? `Loading leads… ${count}`
    : count === 0
      ? 'No lead matches these filters.'
      : truncated
        ? `Showing the first ${MAX_ROWS.toLocaleString()} leads; narrow the filters to see the rest.`
        : `${count.toLocaleString()} leads`;
  return <p role="status" className="text-sm text-slate-600 dark:text-slate-300" data-testid="lead-count">{text}</p>;
}
