import type { ReactNode, RefObject } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { startedJobs } from '@/modules/live/states/startedJobs';
import { AnalysisPanel } from '@/modules/qa/components/AnalysisPanel';
import { ChecklistPanel } from '@/modules/qa/components/ChecklistPanel';
import { DecisionError } from '@/modules/qa/components/DecisionError';
import { RecordingPanel } from '@/modules/qa/components/RecordingPanel';
import { ReviewHistory } from '@/modules/qa/components/ReviewHistory';
import { StatusBadge } from '@/modules/qa/components/StatusBadge';
import type { Verdict } from '@/modules/qa/types/Decision';
import type { LeadDetail } from '@/modules/qa/types/LeadDetail';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  lead: LeadDetail;
  campaign: string;
  audio: RefObject<HTMLAudioElement>;
  /** Bumped after every decision so the history reloads. */
  version: number;
  /** Bumped when the lead's analysis ends (live stream) so it reloads. */
  analysisVersion: number;
  canDecide: boolean;
  busy: boolean;
  error: ApiError | null;
  ticks: Record<string, boolean>;
  onTick: (key: string, done: boolean) => void;
  onDecide: (verdict: Verdict) => void;
  onDismissError: () => void;
  onReload: () => void;
  reviewerName: (id: number | null) => string;
  onClose: () => void;
};

/** Everything about one lead a reviewer needs to decide, and the decision buttons. */
export function LeadDrawer(props: Props) {
  const { lead, canDecide, busy, error } = props;
  const transcribe = async () => {
    if (!lead.recording) return;
    const started = await apiFetch<{ transcript_id: number }>(`/recordings/${lead.recording.id}/transcribe`, { method: 'POST' });
    startedJobs.add('transcription', started.transcript_id);
    props.onReload();
  };
  return (
    <aside aria-label={`Lead #${lead.id}`} className="flex h-full flex-col overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="space-y-2 border-b border-slate-200 p-3 dark:border-slate-700">
        <div className="flex items-start justify-between gap-2">
          <div>
            <h2 className="text-lg font-semibold" data-testid="drawer-title">
              Lead #{lead.id} · {lead.contact?.full_name ?? `Contact #${lead.contact_id}`}
            </h2>
            <p className="text-xs text-slate-600 dark:text-slate-300">
              {[lead.contact?.job_title, props.campaign, lead.agent?.full_name && `by ${lead.agent.full_name}`].filter(Boolean).join(' · ')}
            </p>
          </div>
          <div className="flex items-center gap-2">
            <span data-testid="drawer-status"><StatusBadge status={lead.qa_status} /></span>
            <button type="button" aria-label="Close the lead" onClick={props.onClose} className="rounded px-1.5 text-lg leading-none hover:bg-slate-100 dark:hover:bg-slate-800">×</button>
          </div>
        </div>
        {canDecide ? (
          <div className="flex flex-wrap gap-2">
            <Button tone="success" shortcut="A" disabled={busy} onClick={() => props.onDecide('approved')}>Approve</Button>
            <Button tone="danger" shortcut="R" disabled={busy} onClick={() => props.onDecide('rejected')}>Reject</Button>
            <Button tone="warning" shortcut="U" disabled={busy} onClick={() => props.onDecide('returned')}>Return</Button>
          </div>
        ) : (
          <p className="text-xs text-slate-600 dark:text-slate-300">Read only: QA analysts and admins decide leads.</p>
        )}
        {error ? <DecisionError error={error} onDismiss={props.onDismissError} /> : null}
      </div>
      <div className="flex-1 space-y-4 overflow-y-auto p-3">
        <Section title="Recording and transcript">
          <RecordingPanel lead={lead} audio={props.audio} onTranscribe={canDecide ? transcribe : null} />
        </Section>
        <Section title="AI analysis">
          <AnalysisPanel leadId={lead.id} canRun={canDecide} version={props.analysisVersion} />
        </Section>
        <Section title="Checklist">
          <ChecklistPanel items={lead.checklist} ticks={props.ticks} onTick={canDecide ? props.onTick : null} />
        </Section>
        <Section title="Qualification answers">
          <Answers answers={lead.answers} />
        </Section>
        <Section title="Decisions">
          <ReviewHistory leadId={lead.id} version={props.version} reviewerName={props.reviewerName} />
        </Section>
      </div>
    </aside>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <h3 className="mb-1.5 text-sm font-semibold text-slate-700 dark:text-slate-200">{title}</h3>
      {children}
    </section>
  );
}

function Answers({ answers }: { answers: Record<string, unknown> }) {
  const entries = Object.entries(answers);
  if (entries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No answers.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-600 dark:text-slate-300">{key}</dt>
          <dd>{Array.isArray(value) ? value.join(', ') : value === null || value === '' ? '—' : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
