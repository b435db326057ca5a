import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { LoadState } from '@/modules/forms/components/LoadState';
import { Panel } from '@/modules/forms/components/Panel';
import { CampaignControls } from '@/modules/setup/components/CampaignControls';
import { EmailPlanForm } from '@/modules/setup/components/EmailPlanForm';
import { PreflightPanel } from '@/modules/setup/components/PreflightPanel';
import { TemplateEditor } from '@/modules/setup/components/TemplateEditor';
import type { Campaign } from '@/modules/setup/types/Campaign';
import type { EmailTemplate, Preflight } from '@/modules/setup/types/Email';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

/** One email campaign: plan, templates with preview, pre-flight and launch.
 * URL: `#/campaigns/email/4?template=2&contact=17` reopens the same template and preview. */
export function EmailCampaignPage({ params, query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const [templatesVersion, setTemplatesVersion] = useState(0);
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const campaign = useApiResource<Campaign>(`/campaigns/${params.id}`, version);
  const templates = useApiResource<Page<EmailTemplate>>(`/email-templates?campaign_id=${params.id}&limit=200`, templatesVersion);
  const c = campaign.data;
  const selected = query.get('template') ?? '';
  const contact = query.get('contact') ?? '';
  const select = (template: string, contactId?: string) => {
    const next = new URLSearchParams();
    if (template) next.set('template', template);
    if (contactId) next.set('contact', contactId);
    navigate(`/campaigns/email/${params.id}?${next.toString()}`);
  };
  const email = (c?.settings.email ?? {}) as { sender_profile_id?: number };
  const items = templates.data?.items ?? [];
  const changed = () => {
    setVersion((v) => v + 1);
    setPreflight(null); // the plan changed: the last check no longer holds
  };
  return (
    <div className="space-y-4">
      <a href="#/campaigns?kind=email" className="text-sm text-sky-800 underline dark:text-sky-300">
        ← Email campaigns
      </a>
      <h1 className="text-lg font-semibold">{c ? `Email campaign: ${c.name}` : 'Email campaign'}</h1>
      <LoadState loading={campaign.loading && !c} error={campaign.error ?? templates.error} />
      {c ? (
        <>
          <ErrorBoundary area="The templates">
            <TemplateEditor
              campaignId={c.id}
              templates={items}
              selected={selected}
              contactId={contact}
              senderId={email.sender_profile_id ?? null}
              onSelect={select}
              onSaved={() => setTemplatesVersion((v) => v + 1)}
            />
          </ErrorBoundary>
          <ErrorBoundary area="The plan">
            <EmailPlanForm key={c.id} campaign={c} templates={items} onSaved={changed} />
          </ErrorBoundary>
          <ErrorBoundary area="The pre-flight">
            <PreflightPanel campaignId={c.id} result={preflight} onResult={setPreflight} />
          </ErrorBoundary>
          <Panel title="Launch">
            <p className="text-sm text-slate-600 dark:text-slate-400">Launch is open once a pre-flight says the campaign is ready.</p>
            <CampaignControls campaign={c} onChanged={() => setVersion((v) => v + 1)} startLabel="Launch" disabled={!preflight?.ready} />
          </Panel>
        </>
      ) : null}
    </div>
  );
}
