import { useEffect, useRef } from 'react';

import type { LeadTranscript } from '@/modules/qa/types/LeadDetail';
import { activeUtterance } from '@/modules/qa/utils/activeUtterance';
import { formatDuration } from '@/modules/ui/utils/formatDuration';

type Props = {
  transcript: LeadTranscript;
  /** Seconds into the recording. */
  time: number;
  onSeek: (seconds: number) => void;
};

/** The call's transcript; the line being spoken is highlighted, a click plays from a line. */
export function TranscriptView({ transcript, time, onSeek }: Props) {
  const active = activeUtterance(transcript.utterances, time * 1000);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const line = list.current?.querySelector<HTMLElement>('[aria-current="true"]');
    line?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  if (transcript.utterances.length === 0) {
    return <p className="whitespace-pre-wrap text-sm">{transcript.text || 'The transcript is empty.'}</p>;
  }
  return (
    <ol ref={list} aria-label="Transcript" className="max-h-56 space-y-1 overflow-y-auto pr-1 text-sm">
      {transcript.utterances.map((line, index) => (
        <li key={`${line.start}-${index}`}>
          <button
            type="button"
            aria-current={index === active}
            onClick={() => onSeek(line.start / 1000)}
            className={`w-full rounded px-2 py-1 text-left ${index === active ? 'bg-amber-100 dark:bg-amber-900' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
          >
            <span className="mr-2 font-mono text-xs text-slate-600 dark:text-slate-300">{formatDuration(line.start / 1000)}</span>
            {line.speaker ? <strong className="mr-1">{line.speaker}:</strong> : null}
            {line.text}
          </button>
        </li>
      ))}
    </ol>
  );
}
