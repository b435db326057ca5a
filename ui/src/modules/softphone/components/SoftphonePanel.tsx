import { LevelMeter } from '@/modules/softphone/components/LevelMeter';
import { useInputLevel } from '@/modules/softphone/hooks/useInputLevel';
import type { Microphone } from '@/modules/softphone/hooks/useMicrophone';
import { Button } from '@/modules/ui/components/Button';

const SELECT = 'mt-0.5 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';

/**
 * The softphone: microphone permission, devices, mute and a level meter. The server's
 * WebRTC audio bridge is not built yet (the telephony work), so the panel says plainly that
 * call audio is not connected rather than pretending it is.
 */
export function SoftphonePanel({ microphone }: { microphone: Microphone }) {
  const level = useInputLevel(microphone.stream, microphone.muted);
  const canSetSink = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  return (
    <section aria-labelledby="softphone-title" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between">
        <h2 id="softphone-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Softphone
        </h2>
        <span
          data-testid="bridge-status"
          className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700"
          title="The server-side WebRTC bridge is part of the telephony work and not available yet."
        >
          Audio bridge not connected
        </span>
      </div>
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
          <div className="flex items-center gap-2">
            <LevelMeter level={level} label="Microphone level" />
            <Button tone={microphone.muted ? 'warning' : 'neutral'} shortcut="M" onClick={microphone.toggleMute} aria-pressed={microphone.muted}>
              {microphone.muted ? 'Unmute' : 'Mute'}
            </Button>
          </div>
          <p className="text-xs text-slate-500">
            Your microphone works. Call audio will flow once the server’s audio bridge is available;
            hold is not possible until then.
          </p>
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
