import { type FormEvent, useState } from 'react';

import type { EmailCampaignSnapshot } from '@/modules/live/types/LiveEvent';
import type { CampaignAction } from '@/modules/monitor/hooks/useCampaignControl';
import { DomainThrottling } from '@/modules/pacing/components/DomainThrottling';
import { RateChart } from '@/modules/pacing/components/RateChart';
import type { RatePoint } from '@/modules/pacing/types/RatePoint';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  campaign: EmailCampaignSnapshot;
  history: RatePoint[];
  busy: boolean;
  error: string | null;
  onControl: (action: CampaignAction) => void;
  onRate: (ratePerMinute: number) => Promise<boolean>;
};

const COUNTS: [keyof EmailCampaignSnapshot, string][] = [
  ['sent', 'Sent'],
  ['queued', 'Queued'],
  ['failed', 'Failed'],
  ['bounced', 'Bounced'],
];

/** One running email campaign: its pace on a live chart, its counts and its controls. */
export function EmailCampaignCard({ campaign, history, busy, error, onControl, onRate }: Props) {
  const [rate, setRate] = useState('');
  const inputId = `rate-${campaign.campaign_id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onRate(Number(rate))) setRate('');
  };
  const running = campaign.status === 'running';
  return (
    <article
      data-testid={`email-campaign-${campaign.campaign_id}`}
      aria-labelledby={`${inputId}-title`}
      className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center gap-3">
        <h2 id={`${inputId}-title`} className="text-base font-semibold">
          {campaign.name}
        </h2>
        <span
          data-testid="email-status"
          className={`rounded px-2 py-0.5 text-xs font-medium ${running ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-900'}`}
        >
          {campaign.status}
        </span>
        <span className="text-sm">
          Set <strong data-testid="set-rate">{campaign.rate_per_minute}</strong>/min · actual{' '}
          <strong data-testid="actual-rate">{campaign.sent_last_minute}</strong>/min
        </span>
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
      </header>
      <RateChart points={history} name={campaign.name} />
      <dl className="grid grid-cols-4 gap-2 text-sm">
        {COUNTS.map(([key, label]) => (
          <div key={key} className="rounded bg-slate-50 px-3 py-2 dark:bg-slate-800">
            <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${key}`}>
              {String(campaign[key])}
            </dd>
          </div>
        ))}
      </dl>
      <DomainThrottling limits={campaign.domain_limits} throttled={campaign.throttled_domains} />
      <form onSubmit={(event) => void submit(event)} className="flex flex-wrap items-end gap-2 text-sm">
        <label htmlFor={inputId} className="space-y-1">
          <span className="block font-medium">New rate (messages per minute)</span>
          <input
            id={inputId}
            type="number"
            min="0.1"
            step="any"
            required
            value={rate}
            onChange={(event) => setRate(event.target.value)}
            aria-describedby={error ? `${inputId}-error` : undefined}
            className="w-40 rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
          />
        </label>
        <Button type="submit" tone="primary" disabled={busy || rate === ''}>
          Set rate
        </Button>
        {error ? (
          <p id={`${inputId}-error`} role="alert" className="text-rose-800 dark:text-rose-300">
            {error}
          </p>
        ) : null}
      </form>
    </article>
  );
}
