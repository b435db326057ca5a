import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { ConsoleKit, DispositionOption, Question } from '@/modules/console/types/ConsoleKit';
import { LoadState } from '@/modules/forms/components/LoadState';
import { Panel } from '@/modules/forms/components/Panel';
import { CallSettingsForm } from '@/modules/setup/components/CallSettingsForm';
import { CampaignControls } from '@/modules/setup/components/CampaignControls';
import { DispositionsEditor } from '@/modules/setup/components/DispositionsEditor';
import { OrderQuestionsNotice } from '@/modules/setup/components/OrderQuestionsNotice';
import { QuestionsEditor } from '@/modules/setup/components/QuestionsEditor';
import { ScriptEditor } from '@/modules/setup/components/ScriptEditor';
import type { Campaign } from '@/modules/setup/types/Campaign';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

type Kit = ConsoleKit & { dispositions: (DispositionOption & { retry_outcome?: string | null })[] };

/** One call campaign's set-up: settings, script, questions, dispositions, and its controls. */
export function CallCampaignPage({ params }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const campaign = useApiResource<Campaign>(`/campaigns/${params.id}`, version);
  const kit = useApiResource<Kit>(`/campaigns/${params.id}/console-kit`);
  // questions copied from an order replace the editor's (a new editor, keyed by the copy)
  const [copied, setCopied] = useState<{ n: number; questions: Question[] } | null>(null);
  const c = campaign.data;
  return (
    <div className="space-y-4">
      <a href="#/campaigns?kind=call" className="text-sm text-sky-800 underline dark:text-sky-300">
        ← Call campaigns
      </a>
      <h1 className="text-lg font-semibold">{c ? `Call campaign: ${c.name}` : 'Call campaign'}</h1>
      <LoadState loading={campaign.loading && !c} error={campaign.error ?? kit.error} />
      {kit.data ? (
        <ErrorBoundary area="The order check">
          <OrderQuestionsNotice campaignId={kit.data.campaign_id} onCopied={(questions) => setCopied((prev) => ({ n: (prev?.n ?? 0) + 1, questions }))} />
        </ErrorBoundary>
      ) : null}
      {c ? (
        <Panel title="Run">
          <CampaignControls campaign={c} onChanged={() => setVersion((v) => v + 1)} />
        </Panel>
      ) : null}
      {c && c.kind === 'call' ? (
        <ErrorBoundary area="The settings">
          <CallSettingsForm key={c.id} campaign={c} onSaved={() => setVersion((v) => v + 1)} />
        </ErrorBoundary>
      ) : null}
      {kit.data ? (
        <>
          <ErrorBoundary area="The script editor">
            <ScriptEditor campaignId={kit.data.campaign_id} initial={kit.data.script} />
          </ErrorBoundary>
          <ErrorBoundary area="The questions">
            <QuestionsEditor key={copied?.n ?? 0} campaignId={kit.data.campaign_id} initial={copied?.questions ?? kit.data.questions} />
          </ErrorBoundary>
          <ErrorBoundary area="The dispositions">
            <DispositionsEditor campaignId={kit.data.campaign_id} initial={kit.data.dispositions} />
          </ErrorBoundary>
        </>
      ) : null}
    </div>
  );
}
