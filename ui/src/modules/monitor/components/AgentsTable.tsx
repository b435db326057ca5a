import { STATE_LOOK } from '@/modules/console/utils/stateLook';
import type { LiveAgent } from '@/modules/monitor/states/floorReducer';
import { timeInStateTone } from '@/modules/monitor/utils/timeInStateTone';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

const TONE = { normal: '', warn: 'text-amber-700 font-semibold', alert: 'text-rose-700 font-semibold' };

type Props = { agents: LiveAgent[]; now: number; campaignNames: Map<number, string> };

export function AgentsTable({ agents, now, campaignNames }: Props) {
  return (
    <table className="w-full text-sm" aria-label="Agents">
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="px-3 py-2">Agent</th>
          <th className="px-3 py-2">State</th>
          <th className="px-3 py-2">Time in state</th>
          <th className="px-3 py-2">Campaigns</th>
          <th className="px-3 py-2">Reason / call</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => {
          const seconds = (now - agent.since) / 1000;
          const look = STATE_LOOK[agent.state];
          return (
            <tr key={agent.agent_id} data-testid={`agent-${agent.agent_id}`} className="border-t border-slate-100">
              <td className="px-3 py-2 font-medium">Agent #{agent.agent_id}</td>
              <td className="px-3 py-2">
                <span data-testid="agent-row-state" className={`rounded px-2 py-0.5 text-xs font-medium ${look.className}`}>
                  {look.label}
                </span>
              </td>
              <td className={`px-3 py-2 tabular-nums ${TONE[timeInStateTone(agent.state, seconds)]}`}>
                {formatDuration(seconds)}
              </td>
              <td className="px-3 py-2">{agent.campaigns.map((id) => campaignNames.get(id) ?? `#${id}`).join(', ')}</td>
              <td className="px-3 py-2 text-slate-600">
                {agent.state === 'paused' ? agent.reason : agent.call_id ? `call ${agent.call_id}` : ''}
                {agent.pause_requested ? ` (pause after call: ${agent.pause_requested})` : ''}
              </td>
            </tr>
          );
        })}
        {agents.length === 0 ? (
          <tr>
            <td colSpan={5} className="px-3 py-4 text-center text-slate-500">No agent is logged in.</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
