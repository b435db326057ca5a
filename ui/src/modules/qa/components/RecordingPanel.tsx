import { type RefObject, useState } from 'react';

import { RecordingPlayer } from '@/modules/qa/components/RecordingPlayer';
import { RetryNote } from '@/modules/qa/components/RetryNote';
import { TranscriptView } from '@/modules/qa/components/TranscriptView';
import type { LeadDetail } from '@/modules/qa/types/LeadDetail';

type Props = {
  lead: LeadDetail;
  audio: RefObject<HTMLAudioElement>;
  /** Queues a new transcript (reviewers only); null when the user may not. */
  onTranscribe: (() => Promise<void>) | null;
};

/** The call recording with its transcript following the playback. */
export function RecordingPanel({ lead, audio, onTranscribe }: Props) {
  const [time, setTime] = useState(0);
  if (!lead.recording) return <p className="text-sm text-slate-600 dark:text-slate-300">The call has no recording.</p>;
  const transcript = lead.transcript;
  const seek = (seconds: number) => {
    if (!audio.current) return;
    audio.current.currentTime = seconds;
    setTime(seconds);
  };
  return (
    <div className="space-y-3">
      <RecordingPlayer key={lead.recording.id} recordingId={lead.recording.id} audio={audio} onTime={setTime} />
      {transcript?.status === 'done' ? (
        <TranscriptView transcript={transcript} time={time} onSeek={seek} />
      ) : transcript?.status === 'failed' ? (
        <RetryNote message={`Transcription failed: ${transcript.text || 'no reason given'}.`} onRetry={onTranscribe} label="Transcribe again" />
      ) : transcript ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">The transcript is being made ({transcript.status}).</p>
      ) : (
        <RetryNote message="The recording has no transcript." onRetry={onTranscribe} label="Transcribe" />
      )}
    </div>
  );
}
