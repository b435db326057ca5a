import type { AgentConsole } from '@/modules/console/hooks/useAgentConsole';
import type { AgentDay } from '@/modules/console/types/AgentDay';
import { STATE_LOOK } from '@/modules/console/utils/stateLook';
import { Button } from '@/modules/ui/components/Button';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

type Props = {
  console: AgentConsole;
  now: number;
  campaignNames: string[];
  today: AgentDay | null;
  onPause: () => void;
};

export function StatusBar({ console: agentConsole, now, campaignNames, today, onPause }: Props) {
  const { agent, since, busy } = agentConsole;
  if (!agent) return null;
  const look = STATE_LOOK[agent.state];
  const canReady = agent.state === 'paused';
  const canPause = agent.state !== 'offline' && agent.state !== 'paused' && !agent.pause_requested;
  const onCall = agent.state === 'on_call';
  return (
    <section
      aria-label="Agent status"
      className="flex flex-wrap items-center gap-3 rounded-lg bg-white px-4 py-2 shadow-sm"
    >
      <span
        data-testid="agent-state"
        data-state={agent.state}
        className={`rounded-md px-3 py-1 text-sm font-semibold ${look.className}`}
      >
        {look.label}
      </span>
      <span className="font-mono text-lg tabular-nums" data-testid="time-in-state" aria-label="Time in state">
        {formatDuration((now - since) / 1000)}
      </span>
      {agent.state === 'paused' && agent.reason ? (
        <span className="text-sm text-slate-600">reason: {agent.reason}</span>
      ) : null}
      {agent.pause_requested ? (
        <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">
          pausing after this call ({agent.pause_requested})
        </span>
      ) : null}
      <span className="truncate text-sm text-slate-600" title={campaignNames.join(', ')}>
        {campaignNames.join(' · ')}
      </span>
      <div className="ml-auto flex items-center gap-2">
        {today ? (
          <dl className="mr-3 flex gap-3 text-xs text-slate-600" aria-label="Your day">
            <div><dt className="inline">Calls </dt><dd className="inline font-semibold text-slate-900">{today.calls}</dd></div>
            <div><dt className="inline">Talk </dt><dd className="inline font-semibold text-slate-900">{formatDuration(today.talk_seconds)}</dd></div>
            <div><dt className="inline">Leads </dt><dd className="inline font-semibold text-slate-900">{today.leads}</dd></div>
          </dl>
        ) : null}
        <Button tone="success" shortcut="R" disabled={!canReady || busy} onClick={() => void agentConsole.ready()}>
          Ready
        </Button>
        <Button tone="neutral" shortcut="P" disabled={!canPause || busy} onClick={onPause}>
          Pause
        </Button>
        <Button tone="danger" shortcut="H" disabled={!onCall || busy} onClick={() => void agentConsole.hangup()}>
          Hang up
        </Button>
        <Button
          tone="neutral"
          disabled={!(agent.state === 'paused' || agent.state === 'ready') || busy}
          onClick={() => void agentConsole.logout()}
        >
          Log out of campaigns
        </Button>
      </div>
    </section>
  );
}
