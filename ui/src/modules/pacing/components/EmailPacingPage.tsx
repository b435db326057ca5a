import { useCallback, useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignSummary, Page } from '@/modules/console/types/CampaignSummary';
import { StreamBadge } from '@/modules/live/components/StreamBadge';
import { EmailCampaignCard } from '@/modules/pacing/components/EmailCampaignCard';
import { useEmailControl } from '@/modules/pacing/hooks/useEmailControl';
import { useLiveEmailCampaigns } from '@/modules/pacing/hooks/useLiveEmailCampaigns';
import { Button } from '@/modules/ui/components/Button';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

const STARTABLE = new Set(['draft', 'scheduled']);

/** The email pacing monitor: every running email campaign's pace, counts and controls, live. */
export function EmailPacingPage() {
  const { pacing, stream, error, reload } = useLiveEmailCampaigns();
  const [version, setVersion] = useState(0);
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?kind=email&limit=200', version);
  const refresh = useCallback(() => {
    setVersion((v) => v + 1);
    void reload();
  }, [reload]);
  const { control, setRate, busy, failure } = useEmailControl(refresh);
  const live = Object.values(pacing.campaigns).sort((a, b) => a.campaign_id - b.campaign_id);
  const idle = (campaigns.data?.items ?? []).filter((c) => !pacing.campaigns[c.id] && STARTABLE.has(c.status));
  const failureFor = (id: number) => (failure?.campaignId === id ? (failure.detail ?? failure.message) : null);
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-lg font-semibold">Email pacing</h1>
        <StreamBadge status={stream} />
      </div>
      {error || campaigns.error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
          {error ?? campaigns.error?.message}
        </p>
      ) : null}
      {live.every((c) => c.status === 'completed') ? (
        <p className="rounded-lg bg-white px-4 py-3 text-sm text-slate-600 shadow-sm dark:bg-slate-900 dark:text-slate-300">
          No email campaign is sending right now.
        </p>
      ) : null}
      {live.map((campaign) => (
        <ErrorBoundary key={campaign.campaign_id} area={`The panel of ${campaign.name}`}>
          <EmailCampaignCard
            campaign={campaign}
            history={pacing.history[campaign.campaign_id] ?? []}
            busy={busy === campaign.campaign_id}
            error={failureFor(campaign.campaign_id)}
            onControl={(action) => void control(campaign.campaign_id, action)}
            onRate={(rate) => setRate(campaign.campaign_id, rate)}
            onResolved={refresh}
          />
        </ErrorBoundary>
      ))}
      {idle.length ? (
        <section aria-labelledby="idle-title" className="rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
          <h2 id="idle-title" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">
            Ready to start
          </h2>
          <ul className="space-y-2">
            {idle.map((c) => (
              <li key={c.id} className="flex items-center gap-3 text-sm" data-testid={`idle-email-${c.id}`}>
                <span className="font-medium">{c.name}</span>
                <span className="text-slate-600 dark:text-slate-300">{c.status}</span>
                <Button tone="success" disabled={busy === c.id} onClick={() => void control(c.id, 'start')}>
                  Start {c.name}
                </Button>
                {failureFor(c.id) ? (
                  <span role="alert" className="text-rose-800 dark:text-rose-300">
                    {failureFor(c.id)}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
