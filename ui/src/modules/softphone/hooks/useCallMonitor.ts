import { useCallback, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useAudioBridge } from '@/modules/softphone/hooks/useAudioBridge';
import { useMicrophone } from '@/modules/softphone/hooks/useMicrophone';

export type MonitorMode = 'listen' | 'whisper';
export type Monitoring = { agentId: number; mode: MonitorMode } | null;

/**
 * A supervisor's side of listening and whispering: the microphone and the supervisor's own
 * WebRTC session (opened on the first listen), and which agent's calls it is joined to.
 * The server never lets the callee, or the recording, hear a whisper.
 */
export function useCallMonitor() {
  const microphone = useMicrophone();
  const bridge = useAudioBridge(microphone.stream, '/live/media');
  const [monitoring, setMonitoring] = useState<Monitoring>(null);
  const [error, setError] = useState<string | null>(null);

  const join = useCallback(
    async (agentId: number, mode: MonitorMode) => {
      setError(null);
      if (microphone.status !== 'granted') await microphone.start();
      try {
        await apiFetch(`/live/agents/${agentId}/monitor`, { method: 'PUT', body: { mode } });
        setMonitoring({ agentId, mode });
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : 'Could not join the call.');
      }
    },
    [microphone],
  );

  const leave = useCallback(async () => {
    if (!monitoring) return;
    await apiFetch(`/live/agents/${monitoring.agentId}/monitor`, { method: 'DELETE' }).catch(() => undefined);
    setMonitoring(null);
  }, [monitoring]);

  return { microphone, bridge, monitoring, error, join, leave };
}

export type CallMonitor = ReturnType<typeof useCallMonitor>;
