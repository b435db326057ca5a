import { useCallback, useMemo, useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignSummary, Page } from '@/modules/console/types/CampaignSummary';
import { StreamBadge } from '@/modules/live/components/StreamBadge';
import { AgentsTable } from '@/modules/monitor/components/AgentsTable';
import { MonitorButtons, MonitorStatus } from '@/modules/monitor/components/CallMonitorControls';
import { CampaignSettingsDialog } from '@/modules/monitor/components/CampaignSettingsDialog';
import { CampaignsTable } from '@/modules/monitor/components/CampaignsTable';
import { useCampaignControl } from '@/modules/monitor/hooks/useCampaignControl';
import { useLiveFloor } from '@/modules/monitor/hooks/useLiveFloor';
import { useCallMonitor } from '@/modules/softphone/hooks/useCallMonitor';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { useNow } from '@/modules/ui/hooks/useNow';

const PANEL = 'overflow-x-auto rounded-lg bg-white shadow-sm dark:bg-slate-900';
const PANEL_TITLE = 'px-3 pt-3 text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300';

/** The supervisor wallboard: every call campaign and logged-in agent, live. */
export function MonitorPage() {
  const { floor, stream, error, reload } = useLiveFloor();
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?kind=call&limit=200', version);
  const refresh = useCallback(() => {
    setVersion((v) => v + 1);
    void reload();
  }, [reload]);
  const { control, busy, error: controlError } = useCampaignControl(refresh);
  const now = useNow(1000);
  const items = campaigns.data?.items ?? [];
  const names = useMemo(() => new Map(items.map((c) => [c.id, c.name])), [items]);
  const agents = Object.values(floor.agents).sort((a, b) => a.agent_id - b.agent_id);
  const monitor = useCallMonitor();
  const watched = monitor.monitoring ? floor.agents[monitor.monitoring.agentId] : undefined;
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-lg font-semibold">Supervisor wallboard</h1>
        <StreamBadge status={stream} />
      </div>
      {error || controlError || campaigns.error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
          {controlError ?? error ?? campaigns.error?.message}
        </p>
      ) : null}
      <ErrorBoundary area="The campaigns table">
        <section aria-labelledby="campaigns-title" className={PANEL}>
          <h2 id="campaigns-title" className={PANEL_TITLE}>
            Call campaigns
          </h2>
          {campaigns.loading && !campaigns.data ? <p className="px-3 py-2 text-sm">Loading…</p> : null}
          <CampaignsTable
            campaigns={items}
            live={floor.campaigns}
            busy={busy}
            onControl={(id, action) => void control(id, action)}
            onSettings={(id, name) => setEditing({ id, name })}
          />
        </section>
      </ErrorBoundary>
      <ErrorBoundary area="The agents table">
        <section aria-labelledby="agents-title" className={PANEL}>
          <h2 id="agents-title" className={PANEL_TITLE}>
            Agents
          </h2>
          <div className="px-3 pt-1">
            <MonitorStatus monitor={monitor} agentName={watched ? (watched.name ?? `Agent #${watched.agent_id}`) : null} />
          </div>
          <AgentsTable
            agents={agents}
            now={now}
            campaignNames={names}
            agentActions={(agent) => <MonitorButtons agent={agent} monitor={monitor} />}
          />
        </section>
      </ErrorBoundary>
      {editing ? (
        <CampaignSettingsDialog
          campaignId={editing.id}
          name={editing.name}
          onClose={() => setEditing(null)}
          onSaved={refresh}
        />
      ) : null}
    </div>
  );
}
