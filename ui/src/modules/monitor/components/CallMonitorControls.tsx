import { useEffect, useRef } from 'react';

import type { LiveAgent } from '@/modules/monitor/states/floorReducer';
import type { CallMonitor, MonitorMode } from '@/modules/softphone/hooks/useCallMonitor';

const BUTTON =
  'rounded border border-slate-300 px-2 py-0.5 text-xs font-medium hover:bg-slate-100 aria-pressed:bg-indigo-700 aria-pressed:text-white disabled:opacity-50';

/** Listen / Whisper for one agent's row on the wallboard. */
export function MonitorButtons({ agent, monitor }: { agent: LiveAgent; monitor: CallMonitor }) {
  const name = agent.name ?? `Agent #${agent.agent_id}`;
  const active = (mode: MonitorMode) => monitor.monitoring?.agentId === agent.agent_id && monitor.monitoring.mode === mode;
  const toggle = (mode: MonitorMode) => void (active(mode) ? monitor.leave() : monitor.join(agent.agent_id, mode));
  return (
    <div className="flex gap-1">
      {(['listen', 'whisper'] as const).map((mode) => (
        <button
          key={mode}
          type="button"
          className={BUTTON}
          aria-pressed={active(mode)}
          aria-label={`${mode === 'listen' ? 'Listen to' : 'Whisper to'} ${name}`}
          disabled={agent.state === 'offline'}
          onClick={() => toggle(mode)}
        >
          {mode === 'listen' ? 'Listen' : 'Whisper'}
        </button>
      ))}
    </div>
  );
}

/** What the supervisor is joined to, the audio it hears, and a way out. */
export function MonitorStatus({ monitor, agentName }: { monitor: CallMonitor; agentName: string | null }) {
  const player = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = player.current;
    if (!audio) return;
    audio.srcObject = monitor.bridge.remote;
    if (monitor.bridge.remote) void audio.play().catch(() => undefined);
  }, [monitor.bridge.remote]);
  const watching = monitor.monitoring;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="monitor-status">
      <audio ref={player} autoPlay data-testid="monitor-audio" />
      {watching ? (
        <>
          <span>
            {watching.mode === 'whisper' ? 'Whispering to' : 'Listening to'} <strong>{agentName}</strong>
            {' · '}
            <span data-status={monitor.bridge.status}>
              {monitor.bridge.status === 'connected' ? 'audio connected' : 'connecting audio…'}
            </span>
          </span>
          <button type="button" className={BUTTON} onClick={() => void monitor.leave()}>
            Leave the call
          </button>
        </>
      ) : null}
      {monitor.microphone.message ? <span role="alert">{monitor.microphone.message}</span> : null}
      {monitor.error ? <span role="alert">{monitor.error}</span> : null}
    </div>
  );
}
