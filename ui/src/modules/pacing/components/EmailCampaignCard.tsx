import { useState } from 'react';

import type { EmailCampaignSnapshot } from '@/modules/live/types/LiveEvent';
import type { CampaignAction } from '@/modules/monitor/hooks/useCampaignControl';
import { DomainThrottling } from '@/modules/pacing/components/DomainThrottling';
import { EmailEventCounts } from '@/modules/pacing/components/EmailEventCounts';
import { ExclusionReasons } from '@/modules/pacing/components/ExclusionReasons';
import { RateChart } from '@/modules/pacing/components/RateChart';
import { RateForm } from '@/modules/pacing/components/RateForm';
import { UnknownMessagesDialog } from '@/modules/pacing/components/UnknownMessagesDialog';
import { UnknownNotice } from '@/modules/pacing/components/UnknownNotice';
import type { RatePoint } from '@/modules/pacing/types/RatePoint';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  campaign: EmailCampaignSnapshot;
  history: RatePoint[];
  busy: boolean;
  error: string | null;
  onControl: (action: CampaignAction) => void;
  onRate: (ratePerMinute: number) => Promise<boolean>;
  /** Unknown messages were resolved: the view reloads. */
  onResolved: () => void;
};

const COUNTS: [keyof EmailCampaignSnapshot, string][] = [
  ['sent', 'Sent'],
  ['queued', 'Queued'],
  ['failed', 'Failed'],
  ['bounced', 'Bounced'],
  ['excluded', 'Excluded'],
];
const BADGE: Record<string, string> = {
  running: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100',
  paused: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  completed: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
};

/** One email campaign: its pace on a live chart, its counts, events and controls; a completed one its final counts. */
export function EmailCampaignCard({ campaign, history, busy, error, onControl, onRate, onResolved }: Props) {
  const [resolving, setResolving] = useState(false);
  const titleId = `email-${campaign.campaign_id}-title`;
  const running = campaign.status === 'running';
  const completed = campaign.status === 'completed';
  return (
    <article
      data-testid={`email-campaign-${campaign.campaign_id}`}
      aria-labelledby={titleId}
      className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center gap-3">
        <h2 id={titleId} className="text-base font-semibold">
          {campaign.name}
        </h2>
        <span data-testid="email-status" className={`rounded px-2 py-0.5 text-xs font-medium ${BADGE[campaign.status] ?? BADGE.paused}`}>
          {campaign.status}
        </span>
        <span className="text-sm">
          Set <strong data-testid="set-rate">{campaign.rate_per_minute}</strong>/min · actual{' '}
          <strong data-testid="actual-rate">{campaign.sent_last_minute}</strong>/min
        </span>
        {completed ? (
          <span className="ml-auto text-sm text-slate-600 dark:text-slate-300">Finished: nothing more to send.</span>
        ) : (
          <div className="ml-auto flex gap-2">
            {running ? (
              <Button tone="warning" disabled={busy} onClick={() => onControl('pause')}>
                Pause
              </Button>
            ) : (
              <Button tone="success" disabled={busy} onClick={() => onControl('resume')}>
                Resume
              </Button>
            )}
            <Button tone="danger" disabled={busy} onClick={() => onControl('stop')}>
              Stop
            </Button>
          </div>
        )}
      </header>
      {campaign.unknown > 0 ? <UnknownNotice count={campaign.unknown} onResolve={() => setResolving(true)} /> : null}
      {resolving ? (
        <UnknownMessagesDialog
          campaignId={campaign.campaign_id}
          name={campaign.name}
          completed={completed}
          onClose={() => setResolving(false)}
          onResolved={onResolved}
        />
      ) : null}
      <RateChart points={history} name={campaign.name} />
      <dl className="grid grid-cols-5 gap-2 text-sm">
        {COUNTS.map(([key, label]) => (
          <div key={key} className="rounded bg-slate-50 px-3 py-2 dark:bg-slate-800">
            <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${key}`}>
              {String(campaign[key])}
            </dd>
          </div>
        ))}
      </dl>
      {campaign.excluded > 0 ? <ExclusionReasons campaignId={campaign.campaign_id} excluded={campaign.excluded} /> : null}
      <EmailEventCounts events={campaign.events ?? {}} />
      <DomainThrottling limits={campaign.domain_limits} throttled={campaign.throttled_domains} />
      {completed ? null : <RateForm campaignId={campaign.campaign_id} busy={busy} error={error} onRate={onRate} />}
    </article>
  );
}
