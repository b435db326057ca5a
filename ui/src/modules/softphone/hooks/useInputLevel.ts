import { useEffect, useState } from 'react';

import { rmsLevel } from '@/modules/softphone/utils/rmsLevel';

/** The live loudness (0…1) of a stream's audio, read by a WebAudio analyser ~15 times a second. */
export function useInputLevel(stream: MediaStream | null, muted: boolean): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || muted || typeof AudioContext === 'undefined') {
      setLevel(0);
      return undefined;
    }
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      setLevel(rmsLevel(samples));
    }, 66);
    void context.resume();
    return () => {
      clearInterval(timer);
      source.disconnect();
      void context.close();
    };
  }, [stream, muted]);
  return level;
}
