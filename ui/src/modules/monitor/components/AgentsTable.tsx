import type { ReactNode } from 'react';

import { STATE_LOOK } from '@/modules/console/utils/stateLook';
import type { LiveAgent } from '@/modules/monitor/states/floorReducer';
import { timeInStateTone } from '@/modules/monitor/utils/timeInStateTone';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

const TONE = {
  normal: '',
  warn: 'text-amber-700 font-semibold dark:text-amber-300',
  alert: 'text-rose-700 font-semibold dark:text-rose-300',
};

type Props = {
  agents: LiveAgent[];
  now: number;
  campaignNames: Map<number, string>;
  /**
   * SUPERVISOR ACTIONS SLOT: the "Listen" / "Whisper" buttons for an agent's live call go
   * here (the lead's work); the wallboard passes nothing yet and the cell stays empty.
   */
  agentActions?: (agent: LiveAgent) => ReactNode;
};

export function AgentsTable({ agents, now, campaignNames, agentActions }: Props) {
  const campaignName = (id: number) => campaignNames.get(id) ?? `#${id}`;
  return (
    <table className="w-full text-sm" aria-label="Agents">
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
        <tr>
          <th className="px-3 py-2">Agent</th>
          <th className="px-3 py-2">State</th>
          <th className="px-3 py-2">Time in state</th>
          <th className="px-3 py-2">Campaign</th>
          <th className="px-3 py-2">Call / reason</th>
          <th className="px-3 py-2">Supervise</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => {
          const seconds = (now - agent.since) / 1000;
          const look = STATE_LOOK[agent.state];
          const current = agent.reserved_for;
          return (
            <tr key={agent.agent_id} data-testid={`agent-${agent.agent_id}`} className="border-t border-slate-100 dark:border-slate-800">
              <td className="px-3 py-2 font-medium" data-testid="agent-name">
                {agent.name ?? `Agent #${agent.agent_id}`}
              </td>
              <td className="px-3 py-2">
                <span data-testid="agent-row-state" data-state={agent.state} className={`rounded px-2 py-0.5 text-xs font-medium ${look.className}`}>
                  {look.label}
                </span>
              </td>
              <td className={`px-3 py-2 tabular-nums ${TONE[timeInStateTone(agent.state, seconds)]}`}>
                {formatDuration(seconds)}
              </td>
              <td className="px-3 py-2" data-testid="agent-campaign">
                {current ? (
                  <span className="font-medium">{campaignName(current)}</span>
                ) : (
                  agent.campaigns.map(campaignName).join(', ')
                )}
              </td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-300" data-testid="agent-call">
                {agent.state === 'paused' ? agent.reason : agent.call_id ? `Call #${agent.call_id}` : ''}
                {agent.pause_requested ? ` (pause after call: ${agent.pause_requested})` : ''}
              </td>
              <td className="px-3 py-2" data-testid="supervisor-actions">
                {agentActions?.(agent)}
              </td>
            </tr>
          );
        })}
        {agents.length === 0 ? (
          <tr>
            <td colSpan={6} className="px-3 py-4 text-center text-slate-600 dark:text-slate-400">
              No agent is logged in.
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
