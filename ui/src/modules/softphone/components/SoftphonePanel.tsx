import { useEffect, useRef } from 'react';

import { LevelMeter } from '@/modules/softphone/components/LevelMeter';
import type { AudioBridge } from '@/modules/softphone/hooks/useAudioBridge';
import { useInputLevel } from '@/modules/softphone/hooks/useInputLevel';
import type { Microphone } from '@/modules/softphone/hooks/useMicrophone';
import type { BridgeStatus } from '@/modules/softphone/types/BridgeState';
import { Button } from '@/modules/ui/components/Button';

const SELECT = 'mt-0.5 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';

const BRIDGE_LOOK: Record<BridgeStatus, { label: string; tone: string }> = {
  off: { label: 'Audio off', tone: 'bg-slate-200 text-slate-700' },
  connecting: { label: 'Connecting audio…', tone: 'bg-sky-100 text-sky-900' },
  connected: { label: 'Audio connected', tone: 'bg-emerald-100 text-emerald-900' },
  reconnecting: { label: 'Audio lost, reconnecting…', tone: 'bg-amber-100 text-amber-900' },
  unavailable: { label: 'Server audio is switched off', tone: 'bg-slate-200 text-slate-700' },
};

type Props = {
  microphone: Microphone;
  bridge: AudioBridge;
  onCall: boolean;
  onToggleMute: () => void;
};

/**
 * The softphone: microphone permission and devices, the WebRTC session with the server's
 * audio bridge (its state, the call's audio played on the chosen speaker), mute, hold and
 * level meters for both directions.
 */
export function SoftphonePanel({ microphone, bridge, onCall, onToggleMute }: Props) {
  const level = useInputLevel(microphone.stream, microphone.muted);
  const callLevel = useInputLevel(bridge.remote, false);
  const player = useRef<HTMLAudioElement>(null);
  const canSetSink = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  const look = BRIDGE_LOOK[bridge.status];

  useEffect(() => {
    const audio = player.current;
    if (!audio) return;
    audio.srcObject = bridge.remote;
    if (bridge.remote) void audio.play().catch(() => undefined);
  }, [bridge.remote]);

  useEffect(() => {
    const audio = player.current as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (audio?.setSinkId && microphone.outputId) void audio.setSinkId(microphone.outputId).catch(() => undefined);
  }, [microphone.outputId]);

  return (
    <section aria-labelledby="softphone-title" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between">
        <h2 id="softphone-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Softphone
        </h2>
        <span
          data-testid="bridge-status"
          data-status={bridge.status}
          role="status"
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${look.tone}`}
        >
          {look.label}
        </span>
      </div>
      <audio ref={player} autoPlay data-testid="call-audio" />
      {microphone.status === 'granted' ? (
        <>
          <label className="block text-xs font-medium text-slate-600">
            Microphone
            <select className={SELECT} value={microphone.inputId} onChange={(e) => microphone.chooseInput(e.target.value)}>
              {microphone.inputs.map((device) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-xs font-medium text-slate-600">
            Speaker
            <select
              className={SELECT}
              value={microphone.outputId}
              disabled={!canSetSink || microphone.outputs.length === 0}
              onChange={(e) => microphone.chooseOutput(e.target.value)}
            >
              {microphone.outputs.length === 0 ? <option value="">System default</option> : null}
              {microphone.outputs.map((device) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label}
                </option>
              ))}
            </select>
          </label>
          <div className="space-y-1">
            <span className="text-xs text-slate-500">You</span>
            <LevelMeter level={level} label="Microphone level" />
            <span className="text-xs text-slate-500">Call</span>
            <LevelMeter level={callLevel} label="Call audio level" testId="call-level" />
          </div>
          <div className="flex items-center gap-2">
            <Button tone={microphone.muted ? 'warning' : 'neutral'} shortcut="M" onClick={onToggleMute} aria-pressed={microphone.muted}>
              {microphone.muted ? 'Unmute' : 'Mute'}
            </Button>
            <Button
              tone={bridge.held ? 'warning' : 'neutral'}
              shortcut="O"
              disabled={!onCall || bridge.status !== 'connected'}
              onClick={() => void bridge.toggleHold()}
              aria-pressed={bridge.held}
            >
              {bridge.held ? 'Resume' : 'Hold'}
            </Button>
          </div>
        </>
      ) : (
        <div className="space-y-2">
          {microphone.message ? (
            <p role="alert" className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900">
              {microphone.message}
            </p>
          ) : (
            <p className="text-sm text-slate-600">The softphone needs your microphone.</p>
          )}
          <Button tone="primary" disabled={microphone.status === 'requesting'} onClick={() => void microphone.start()}>
            {microphone.status === 'requesting' ? 'Waiting for permission…' : 'Enable microphone'}
          </Button>
        </div>
      )}
    </section>
  );
}
