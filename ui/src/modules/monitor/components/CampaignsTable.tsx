import type { CampaignSummary } from '@/modules/console/types/CampaignSummary';
import type { AgentState, CampaignSnapshot } from '@/modules/live/types/LiveEvent';
import type { CampaignAction } from '@/modules/monitor/hooks/useCampaignControl';
import { campaignAlerts, connectRate } from '@/modules/monitor/utils/campaignAlerts';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

type Row = { id: number; name: string; status: string; live: CampaignSnapshot | null };

type Props = {
  campaigns: CampaignSummary[];
  live: Record<number, CampaignSnapshot>;
  busy: number | null;
  onControl: (campaignId: number, action: CampaignAction) => void;
  onSettings: (campaignId: number, name: string) => void;
};

const STATUS_TONE: Record<string, string> = {
  running: 'bg-emerald-100 text-emerald-900',
  paused: 'bg-amber-100 text-amber-900',
  completed: 'bg-slate-200 text-slate-700',
  draft: 'bg-slate-100 text-slate-700',
};

const AGENT_ORDER: AgentState[] = ['ready', 'reserved', 'ringing', 'on_call', 'wrap_up', 'paused'];

function actionsFor(status: string): CampaignAction[] {
  switch (status) {
    case 'running':
      return ['pause', 'stop'];
    case 'paused':
      return ['resume', 'stop'];
    case 'completed':
    case 'cancelled':
      return [];
    default:
      return ['start'];
  }
}

const LABEL: Record<CampaignAction, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop' };

export function CampaignsTable({ campaigns, live, busy, onControl, onSettings }: Props) {
  const rows: Row[] = campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    status: live[c.id]?.status ?? c.status,
    live: live[c.id] ?? null,
  }));
  for (const snapshot of Object.values(live)) {
    if (!rows.some((r) => r.id === snapshot.campaign_id)) {
      rows.push({ id: snapshot.campaign_id, name: snapshot.name, status: snapshot.status, live: snapshot });
    }
  }
  return (
    <table className="w-full text-sm" aria-label="Call campaigns">
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
        <tr>
          <th className="px-3 py-2">Campaign</th>
          <th className="px-3 py-2">Status</th>
          <th className="px-3 py-2 text-right">Dials/min</th>
          <th className="px-3 py-2 text-right">Dials</th>
          <th className="px-3 py-2 text-right">Connects</th>
          <th className="px-3 py-2 text-right">Talk time</th>
          <th className="px-3 py-2 text-right">Queue</th>
          <th className="px-3 py-2">Agents</th>
          <th className="px-3 py-2">Controls</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const alerts = row.live ? campaignAlerts(row.live) : [];
          return (
            <tr key={row.id} data-testid={`campaign-${row.id}`} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="px-3 py-2">
                <div className="font-medium">{row.name}</div>
                {alerts.map((alert) => (
                  <div key={alert} role="status" data-testid="campaign-alert" className="text-xs text-rose-700 dark:text-rose-300">
                    ⚠ {alert}
                  </div>
                ))}
              </td>
              <td className="px-3 py-2">
                <span data-testid="campaign-status" className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_TONE[row.status] ?? 'bg-slate-100'}`}>
                  {row.status}
                </span>
              </td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="dials-per-minute">{row.live?.dials_last_minute ?? '–'}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="dials">{row.live?.dials ?? '–'}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="connects">
                {row.live ? `${row.live.connects} (${connectRate(row.live)})` : '–'}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{row.live ? formatDuration(row.live.talk_seconds) : '–'}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="queue-depth">{row.live?.queue_depth ?? '–'}</td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap gap-1" data-testid="agents-by-state">
                  {row.live
                    ? AGENT_ORDER.filter((state) => row.live?.agents[state]).map((state) => (
                        <span key={state} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                          {state.replace('_', ' ')} {row.live?.agents[state]}
                        </span>
                      ))
                    : null}
                </div>
              </td>
              <td className="px-3 py-2">
                <div className="flex gap-1">
                  {actionsFor(row.status).map((action) => (
                    <button
                      key={action}
                      type="button"
                      disabled={busy === row.id}
                      onClick={() => onControl(row.id, action)}
                      className={`rounded border px-2 py-0.5 text-xs font-medium disabled:opacity-50 ${action === 'stop' ? 'border-rose-400 text-rose-800 hover:bg-rose-50' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`}
                    >
                      {LABEL[action]}
                    </button>
                  ))}
                  {row.status !== 'completed' && row.status !== 'cancelled' ? (
                    <button
                      type="button"
                      onClick={() => onSettings(row.id, row.name)}
                      aria-label={`Settings of ${row.name}`}
                      className="rounded border border-slate-300 px-2 py-0.5 text-xs font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                    >
                      Settings
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          );
        })}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={9} className="px-3 py-4 text-center text-slate-600 dark:text-slate-400">No call campaigns yet.</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
