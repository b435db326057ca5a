import { useCallback, useEffect, useRef, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { BridgeStatus, MediaSetup } from '@/modules/softphone/types/BridgeState';

const GATHER_LIMIT_MS = 2000;
const DISCONNECT_GRACE_MS = 3000; // "disconnected" often heals by itself; "failed" does not
const RETRY_MAX_MS = 15000;

/** Resolves when the peer has gathered its ICE candidates (the server takes no trickle). */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', done);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, GATHER_LIMIT_MS);
  });
}

/**
 * The user's one WebRTC session with the server's audio bridge, opened as soon as the
 * microphone is available and kept across calls. A dropped network opens a new session
 * (with backoff); the server keeps the call, so audio resumes where it was. Agents use
 * `/console/media`; supervisors `/live/media` (they listen and whisper, never mute or hold).
 */
export function useAudioBridge(stream: MediaStream | null, base: '/console/media' | '/live/media' = '/console/media') {
  const [status, setStatus] = useState<BridgeStatus>('off');
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [held, setHeld] = useState(false);
  const peer = useRef<RTCPeerConnection | null>(null);

  useEffect(() => {
    if (!stream || typeof RTCPeerConnection === 'undefined') {
      setStatus('off');
      return undefined;
    }
    let cancelled = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const retry = (delay: number) => {
      if (cancelled) return;
      setStatus('reconnecting');
      clearTimeout(timer);
      timer = setTimeout(() => void connect(), delay);
    };

    const watch = (pc: RTCPeerConnection) => () => {
      if (pc !== peer.current || cancelled) return;
      if (pc.connectionState === 'connected') {
        failures = 0;
        clearTimeout(timer);
        setStatus('connected');
      } else if (pc.connectionState === 'failed') {
        retry(0);
      } else if (pc.connectionState === 'disconnected') {
        clearTimeout(timer);
        timer = setTimeout(() => pc.connectionState !== 'connected' && retry(0), DISCONNECT_GRACE_MS);
      }
    };

    const connect = async () => {
      try {
        const setup = await apiFetch<MediaSetup>(base);
        if (cancelled) return;
        if (!setup.enabled) {
          setStatus('unavailable');
          return;
        }
        const pc = new RTCPeerConnection({ iceServers: setup.ice_servers });
        peer.current?.close();
        peer.current = pc;
        stream.getAudioTracks().forEach((track) => pc.addTrack(track, stream));
        pc.ontrack = (event) => setRemote(event.streams[0] ?? new MediaStream([event.track]));
        pc.onconnectionstatechange = watch(pc);
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        const answer = await apiFetch<RTCSessionDescriptionInit>(`${base}/offer`, {
          method: 'POST',
          body: { sdp: pc.localDescription?.sdp, type: 'offer' },
        });
        if (cancelled || pc !== peer.current) return;
        await pc.setRemoteDescription(answer);
        setHeld(false);
      } catch {
        failures += 1;
        retry(Math.min(1000 * 2 ** failures, RETRY_MAX_MS));
      }
    };

    setStatus('connecting');
    void connect();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      peer.current?.close();
      peer.current = null;
      setRemote(null);
      void apiFetch(base, { method: 'DELETE' }).catch(() => undefined);
    };
  }, [stream, base]);

  /** Mute is the microphone track's (useMicrophone); the bridge also silences the recording. */
  const setMuted = useCallback((muted: boolean) => {
    if (peer.current) void apiFetch('/console/media', { method: 'PATCH', body: { muted } }).catch(() => undefined);
  }, []);

  const toggleHold = useCallback(async () => {
    const next = !held;
    await apiFetch('/console/media', { method: 'PATCH', body: { held: next } });
    setHeld(next);
  }, [held]);

  return { status, remote, held, setMuted, toggleHold };
}

export type AudioBridge = ReturnType<typeof useAudioBridge>;
