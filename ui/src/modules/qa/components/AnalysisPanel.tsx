import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { startedJobs } from '@/modules/live/states/startedJobs';
import { RetryNote } from '@/modules/qa/components/RetryNote';
import type { LeadAnalysis } from '@/modules/qa/types/LeadAnalysis';

/** `version` is bumped by the page when the live stream says this lead's analysis ended. */
type Props = { leadId: number; canRun: boolean; version: number };

/** The AI's summary, score and per-criterion reasons, or why there are none yet. */
export function AnalysisPanel({ leadId, canRun, version }: Props) {
  const [started, setStarted] = useState(0);
  const { data, error } = useApiResource<LeadAnalysis>(`/leads/${leadId}/analysis`, version + started);

  const run = canRun
    ? async () => {
        startedJobs.add('analysis', leadId); // before the request: a fast run may end first
        try {
          await apiFetch(`/leads/${leadId}/analysis`, { method: 'POST' });
        } catch (caught) {
          startedJobs.take('analysis', leadId);
          throw caught;
        }
        setStarted((v) => v + 1);
      }
    : null;
  if (error) return <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error.message}</p>;
  if (!data) return <p className="text-sm text-slate-600 dark:text-slate-300">Loading the analysis…</p>;
  if (data.status === 'none') return <RetryNote message="The lead has not been analysed." label="Analyse" onRetry={run} />;
  if (data.status === 'pending') return <p className="text-sm text-slate-600 dark:text-slate-300">Analysing ({data.model ?? 'AI'})…</p>;
  if (data.status === 'failed') {
    const timedOut = /time(d)? ?out/i.test(data.error ?? '');
    const message = `${timedOut ? 'The analysis timed out' : 'The analysis failed'}: ${data.error ?? 'no reason given'}`;
    return <RetryNote message={message} label="Retry" onRetry={run} />;
  }
  const result = data.result;
  if (!result) return null;
  return (
    <div className="space-y-2 text-sm">
      <p>
        <span className="text-2xl font-semibold tabular-nums" data-testid="ai-score">{result.score}</span>
        <span className="text-slate-600 dark:text-slate-300"> / 100 · {result.sentiment} · {data.model}</span>
      </p>
      <p>{result.summary}</p>
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Score by criterion</caption>
        <thead>
          <tr className="text-slate-600 dark:text-slate-300">
            <th scope="col" className="py-1 pr-2">Criterion</th>
            <th scope="col" className="py-1 pr-2">Points</th>
            <th scope="col" className="py-1">Why</th>
          </tr>
        </thead>
        <tbody>
          {result.reasons.map((reason) => (
            <tr key={reason.criterion} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1 pr-2 font-medium">{reason.criterion}</td>
              <td className="py-1 pr-2 tabular-nums">{reason.points} / {reason.max_points}</td>
              <td className="py-1">{reason.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
