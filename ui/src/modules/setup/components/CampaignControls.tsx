import { apiFetch } from '@/modules/api/utils/apiFetch';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import type { Campaign } from '@/modules/setup/types/Campaign';
import { Button } from '@/modules/ui/components/Button';

type Action = 'start' | 'pause' | 'resume' | 'stop';

/** What each status allows: a draft starts, a running one pauses or stops, and so on. */
const ACTIONS: Record<string, Action[]> = {
  draft: ['start'],
  scheduled: ['start'],
  running: ['pause', 'stop'],
  paused: ['resume', 'stop'],
};
const LABELS: Record<Action, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop' };

type Props = { campaign: Campaign; onChanged: () => void; startLabel?: string; disabled?: boolean };

/** Start, pause, resume and stop a campaign through the actors that run its kind. */
export function CampaignControls({ campaign, onChanged, startLabel = 'Start', disabled = false }: Props) {
  const submit = useSubmit();
  const base = campaign.kind === 'call' ? '/campaigns' : '/email-campaigns';
  const act = async (action: Action) => {
    const done = await submit.run(() => apiFetch(`${base}/${campaign.id}/${action}`, { method: 'POST' }), `${LABELS[action]}: done.`);
    if (done !== undefined) onChanged();
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm">
          Status:{' '}
          <strong data-testid="campaign-status" className="font-semibold">
            {campaign.status}
          </strong>
        </span>
        {(ACTIONS[campaign.status] ?? []).map((action) => (
          <Button
            key={action}
            tone={action === 'stop' ? 'danger' : action === 'pause' ? 'warning' : 'success'}
            disabled={submit.busy || (action === 'start' && disabled)}
            onClick={() => void act(action)}
          >
            {action === 'start' ? startLabel : LABELS[action]}
          </Button>
        ))}
      </div>
      <SubmitStatus submit={submit} />
    </div>
  );
}
