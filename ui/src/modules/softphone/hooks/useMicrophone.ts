import { useCallback, useEffect, useRef, useState } from 'react';

import type { AudioDevice, MicrophoneStatus } from '@/modules/softphone/types/MicrophoneState';
import { describeMediaError } from '@/modules/softphone/utils/describeMediaError';

const DEVICE_KEY = 'pivotal.softphone.inputDevice';
const OUTPUT_KEY = 'pivotal.softphone.outputDevice';

function devicesOf(all: MediaDeviceInfo[], kind: MediaDeviceKind): AudioDevice[] {
  return all
    .filter((device) => device.kind === kind)
    .map((device, index) => ({
      deviceId: device.deviceId,
      label: device.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${index + 1}`,
    }));
}

/**
 * The agent's microphone: the permission flow, the choice of input and output device (kept
 * for the next sign-in), mute, and the live stream for the level meter and, once the
 * server's audio bridge exists, the WebRTC call.
 */
export function useMicrophone() {
  const [status, setStatus] = useState<MicrophoneStatus>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [inputs, setInputs] = useState<AudioDevice[]>([]);
  const [outputs, setOutputs] = useState<AudioDevice[]>([]);
  const [inputId, setInputId] = useState<string>(() => localStorage.getItem(DEVICE_KEY) ?? '');
  const [outputId, setOutputIdState] = useState<string>(() => localStorage.getItem(OUTPUT_KEY) ?? '');
  const [muted, setMuted] = useState(false);
  const current = useRef<MediaStream | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  const stop = () => {
    current.current?.getTracks().forEach((track) => track.stop());
    current.current = null;
  };

  const start = useCallback(async (deviceId?: string) => {
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) {
      setStatus('unsupported');
      setMessage('This page cannot use a microphone (it needs https or localhost).');
      return;
    }
    setStatus('requesting');
    setMessage(null);
    try {
      const audio: MediaTrackConstraints = {
        echoCancellation: true,
        noiseSuppression: true,
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      };
      const next = await media.getUserMedia({ audio });
      stop();
      current.current = next;
      next.getAudioTracks().forEach((track) => {
        track.enabled = !mutedRef.current;
      });
      setStream(next);
      setStatus('granted');
      const all = await media.enumerateDevices();
      setInputs(devicesOf(all, 'audioinput'));
      setOutputs(devicesOf(all, 'audiooutput'));
      const used = next.getAudioTracks()[0]?.getSettings().deviceId;
      if (used) setInputId(used);
    } catch (error) {
      const described = describeMediaError(error);
      setStatus(described.status);
      setMessage(described.message);
      setStream(null);
    }
  }, []);

  const chooseInput = useCallback(
    (deviceId: string) => {
      localStorage.setItem(DEVICE_KEY, deviceId);
      setInputId(deviceId);
      void start(deviceId);
    },
    [start],
  );

  const chooseOutput = useCallback((deviceId: string) => {
    localStorage.setItem(OUTPUT_KEY, deviceId);
    setOutputIdState(deviceId);
  }, []);

  const toggleMute = useCallback(() => {
    setMuted((was) => {
      current.current?.getAudioTracks().forEach((track) => {
        track.enabled = was;
      });
      return !was;
    });
  }, []);

  useEffect(() => stop, []);

  return {
    status,
    message,
    stream,
    inputs,
    outputs,
    inputId,
    outputId,
    muted,
    start: () => start(inputId || undefined),
    chooseInput,
    chooseOutput,
    toggleMute,
  };
}

export type Microphone = ReturnType<typeof useMicrophone>;
