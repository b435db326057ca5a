import { type RefObject, useEffect, useState } from 'react';

import { useRecordingUrl } from '@/modules/qa/hooks/useRecordingUrl';
import { Button } from '@/modules/ui/components/Button';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

export const SPEEDS = [1, 1.25, 1.5, 2];

type Props = {
  recordingId: number;
  audio: RefObject<HTMLAudioElement>;
  /** Seconds into the recording, as it plays. */
  onTime: (seconds: number) => void;
};

/** Play / pause, a seek bar and the playback speed of a call recording. */
export function RecordingPlayer({ recordingId, audio, onTime }: Props) {
  const recording = useRecordingUrl(recordingId);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState(1);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [audio, speed, recording.url]);

  if (recording.error) {
    return <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">The recording cannot be played: {recording.error.message}</p>;
  }
  const seek = (seconds: number) => {
    if (audio.current) audio.current.currentTime = seconds;
  };
  return (
    <div className="space-y-2">
      <audio
        ref={audio}
        src={recording.url ?? undefined}
        preload="auto"
        data-testid="recording-audio"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onLoadedMetadata={(e) => setDuration(Number.isFinite(e.currentTarget.duration) ? e.currentTarget.duration : 0)}
        onTimeUpdate={(e) => {
          setTime(e.currentTarget.currentTime);
          onTime(e.currentTarget.currentTime);
        }}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button
          shortcut="Space"
          disabled={!recording.url}
          onClick={() => (audio.current?.paused ? void audio.current.play() : audio.current?.pause())}
        >
          {recording.url ? (playing ? 'Pause' : 'Play') : 'Loading…'}
        </Button>
        <input
          type="range"
          aria-label="Seek"
          min={0}
          max={duration || 0}
          step={0.1}
          value={Math.min(time, duration)}
          onChange={(e) => seek(Number(e.target.value))}
          className="min-w-32 flex-1 accent-sky-700"
          disabled={!recording.url}
        />
        <span className="tabular-nums text-xs text-slate-700 dark:text-slate-300" data-testid="recording-time">
          {formatDuration(time)} / {formatDuration(duration)}
        </span>
      </div>
      <div role="group" aria-label="Playback speed" className="flex gap-1">
        {SPEEDS.map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={speed === value}
            onClick={() => setSpeed(value)}
            className={`rounded border px-2 py-0.5 text-xs ${speed === value ? 'border-sky-700 bg-sky-700 text-white' : 'border-slate-300 bg-white text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100'}`}
          >
            {value}x
          </button>
        ))}
      </div>
    </div>
  );
}
