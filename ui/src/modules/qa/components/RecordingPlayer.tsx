import { type RefObject, useEffect, useRef, useState } from 'react';

import { useRecordingLink } from '@/modules/qa/hooks/useRecordingLink';
import { Button } from '@/modules/ui/components/Button';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

export const SPEEDS = [1, 1.25, 1.5, 2];

type Props = {
  recordingId: number;
  audio: RefObject<HTMLAudioElement>;
  /** Seconds into the recording, as it plays. */
  onTime: (seconds: number) => void;
};

/** Play / pause, a seek bar and the playback speed of a call recording, streamed from a
 * signed link (renewed before it expires, keeping the position and whether it played). */
export function RecordingPlayer({ recordingId, audio, onTime }: Props) {
  const { link, error, renew } = useRecordingLink(recordingId);
  const url = link?.url ?? null;
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [broken, setBroken] = useState(false);
  // One new link per failure: an expired link is renewed, a recording that fails on a fresh
  // link is reported instead of asked for again and again.
  const renewedAfterError = useRef(false);

  useEffect(() => {
    const element = audio.current;
    if (!element || !url) return;
    // A new link for the same recording: carry on where it was.
    const resume = element.currentSrc ? { time: element.currentTime, playing: !element.paused } : null;
    element.src = url;
    if (resume && resume.time > 0) {
      element.addEventListener(
        'loadedmetadata',
        () => {
          element.currentTime = resume.time;
          if (resume.playing) void element.play();
        },
        { once: true },
      );
    }
  }, [audio, url]);

  useEffect(() => {
    if (!audio.current) return;
    // Loading a new source resets the rate to the default one: set both.
    audio.current.defaultPlaybackRate = speed;
    audio.current.playbackRate = speed;
  }, [audio, speed, url]);

  const failure = error?.message ?? (broken ? 'the browser could not play it' : null);
  if (failure) {
    return <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">The recording cannot be played: {failure}</p>;
  }
  const seek = (seconds: number) => {
    if (audio.current) audio.current.currentTime = seconds;
  };
  return (
    <div className="space-y-2">
      <audio
        ref={audio}
        preload="auto"
        data-testid="recording-audio"
        onCanPlay={() => {
          renewedAfterError.current = false;
        }}
        onError={() => {
          if (!url) return;
          if (renewedAfterError.current) setBroken(true);
          else {
            renewedAfterError.current = true;
            renew();
          }
        }}
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
          disabled={!url}
          onClick={() => (audio.current?.paused ? void audio.current.play() : audio.current?.pause())}
        >
          {url ? (playing ? 'Pause' : 'Play') : 'Loading…'}
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
          disabled={!url}
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
