import { describe, expect, it } from 'vitest';

import { jobToast } from '@/modules/app/utils/jobToast';
import type { JobEndedEvent, LiveEvent } from '@/modules/live/types/LiveEvent';

const ended = (type: JobEndedEvent['type'], status: JobEndedEvent['status'], link: string | null = null): LiveEvent => ({
  type, id: 12, status, message: `the server's words`, link,
});
const mine = () => true;
const notMine = () => false;

describe('jobToast', () => {
  it('announces an analysis or a transcript to the tab that asked for it, with its link', () => {
    expect(jobToast(ended('analysis.ended', 'done', '#/qa?lead=12'), 'qa_analyst', mine)).toEqual({
      tone: 'success',
      title: 'Analysis of lead #12 done',
      detail: `the server's words`,
      link: { href: '#/qa?lead=12', label: 'Open the lead' },
    });
    const failed = jobToast(ended('transcription.ended', 'failed', '#/qa?lead=3'), 'qa_analyst', mine);
    expect(failed).toMatchObject({ tone: 'error', title: 'Transcript #12 failed', link: { href: '#/qa?lead=3' } });
    expect(jobToast(ended('analysis.ended', 'done'), 'qa_analyst', notMine)).toBeNull();
  });

  it('asks whether the job is mine with its kind and id', () => {
    const asked: string[] = [];
    jobToast(ended('transcription.ended', 'done'), 'admin', (kind, id) => {
      asked.push(`${kind}:${id}`);
      return false;
    });
    expect(asked).toEqual(['transcription:12']);
  });

  it('tells managers an email campaign ended and admins only a webhook was given up', () => {
    const campaign = ended('email_campaign.ended', 'completed', '#/campaigns/email/12');
    expect(jobToast(campaign, 'campaign_manager', notMine)).toMatchObject({
      tone: 'success', title: 'Email campaign #12 ended', link: { href: '#/campaigns/email/12', label: 'Open the campaign' },
    });
    expect(jobToast(campaign, 'qa_analyst', mine)).toBeNull();
    const webhook = ended('webhook.ended', 'failed', '#/admin/webhooks?subscription=2&status=failed');
    expect(jobToast(webhook, 'admin', notMine)).toMatchObject({ tone: 'error', title: 'Webhook delivery #12 given up' });
    expect(jobToast(webhook, 'campaign_manager', mine)).toBeNull();
  });

  it('announces an import only when it finished or failed, with a link to it', () => {
    const progress = { type: 'import.progress', import_id: 4, rows_total: 10, rows_done: 10, rows_failed: 2 } as const;
    expect(jobToast({ ...progress, status: 'running' }, 'data_ops', mine)).toBeNull();
    expect(jobToast({ ...progress, status: 'finished' }, 'data_ops', mine)).toEqual({
      tone: 'info',
      title: 'Import #4 finished',
      detail: '10 rows, 2 rejected.',
      link: { href: '#/audience/imports?import=4', label: 'Open the import' },
    });
    expect(jobToast({ ...progress, status: 'failed' }, 'data_ops', mine)?.tone).toBe('error');
  });

  it('ignores every other event', () => {
    expect(jobToast({ type: 'leads.changed', ids: [1], change: 'decided' }, 'admin', mine)).toBeNull();
    expect(jobToast({ type: 'call', call_id: 1, agent_id: 2, campaign_id: 3, status: 'ended' }, 'admin', mine)).toBeNull();
  });
});
