import type { Role } from '@/modules/auth/types/Session';
import type { JobEndedEvent, JobKind, LiveEvent } from '@/modules/live/types/LiveEvent';
import type { Toast } from '@/modules/ui/states/toastStore';

type Notice = Omit<Toast, 'id'>;
/** Whether this tab started the job (analyses and transcripts are announced to it only). */
type Mine = (kind: JobKind, id: number) => boolean;

const MANAGERS: Role[] = ['admin', 'campaign_manager'];
const TITLES: Record<JobKind, (id: number, failed: boolean) => string> = {
  analysis: (id, failed) => `Analysis of lead #${id} ${failed ? 'failed' : 'done'}`,
  transcription: (id, failed) => `Transcript #${id} ${failed ? 'failed' : 'ready'}`,
  email_campaign: (id) => `Email campaign #${id} ended`,
  webhook: (id) => `Webhook delivery #${id} given up`,
};
const LINK_LABELS: Record<JobKind, string> = {
  analysis: 'Open the lead',
  transcription: 'Open the lead',
  email_campaign: 'Open the campaign',
  webhook: 'Open the delivery log',
};

/** The notice a stream event deserves for this user, or null (not a job's end, or not theirs). */
export function jobToast(event: LiveEvent, role: Role, mine: Mine): Notice | null {
  if (event.type === 'import.progress') {
    if (event.status !== 'finished' && event.status !== 'failed') return null;
    const failed = event.status === 'failed';
    return {
      tone: failed ? 'error' : event.rows_failed ? 'info' : 'success',
      title: `Import #${event.import_id} ${failed ? 'failed' : 'finished'}`,
      detail: failed ? 'Open the import to see why.' : `${event.rows_done} rows, ${event.rows_failed} rejected.`,
      link: { href: `#/audience/imports?import=${event.import_id}`, label: 'Open the import' },
    };
  }
  if (!event.type.endsWith('.ended')) return null;
  const ended = event as JobEndedEvent;
  const kind = ended.type.slice(0, -'.ended'.length) as JobKind;
  if (!(kind in TITLES) || !wants(kind, ended.id, role, mine)) return null;
  const failed = ended.status === 'failed';
  return {
    tone: failed ? 'error' : 'success',
    title: TITLES[kind](ended.id, failed),
    detail: ended.message,
    link: ended.link ? { href: ended.link, label: LINK_LABELS[kind] } : undefined,
  };
}

function wants(kind: JobKind, id: number, role: Role, mine: Mine): boolean {
  if (kind === 'email_campaign') return MANAGERS.includes(role);
  if (kind === 'webhook') return role === 'admin';
  return mine(kind, id);
}
