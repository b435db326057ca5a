import { PageLinks } from '@/modules/admin/components/PageLinks';
import { withQuery } from '@/modules/app/utils/withQuery';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SentMailDetail } from '@/modules/sink/components/SentMailDetail';
import type { SinkMessage } from '@/modules/sink/types/SinkMail';
import { Button } from '@/modules/ui/components/Button';

const PATH = '/sent-mail';

function listPath(query: URLSearchParams): string {
  const params = new URLSearchParams();
  for (const key of ['to', 'campaign_id', 'cursor']) {
    const value = query.get(key);
    if (value) params.set(key, value);
  }
  return `/email/sink/messages?${params.toString()}`;
}

/** What the embedded SMTP sink received, newest first; filters, page and the open mail in the URL. */
export function SentMailPage({ query, navigate }: ScreenProps) {
  const mails = useApiResource<Page<SinkMessage>>(listPath(query));
  const open = query.get('mail');
  const go = (changes: Record<string, string | null>) => navigate(withQuery(PATH, query, changes));
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Sent mail (local SMTP sink)</h1>
      <Panel title="Filters">
        <form
          key={query.toString()}
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const value = (key: string) => String(data.get(key) ?? '').trim();
            go({ to: value('to'), campaign_id: value('campaign_id'), cursor: null, mail: null });
          }}
        >
          <Field label="Recipient" className="min-w-64">
            <input name="to" type="email" className={INPUT} defaultValue={query.get('to') ?? ''} />
          </Field>
          <Field label="Campaign id" className="w-36">
            <input name="campaign_id" type="number" min={1} className={INPUT} defaultValue={query.get('campaign_id') ?? ''} />
          </Field>
          <Button type="submit" tone="primary">
            Filter
          </Button>
          <Button onClick={() => navigate(PATH)}>Clear</Button>
        </form>
      </Panel>
      <Panel title="Received (newest first)">
        <DataTable
          caption="Received mail"
          testId="sent-mail"
          columns={[
            { header: 'Received', cell: (m) => new Date(m.received_at).toLocaleString(), className: 'whitespace-nowrap' },
            { header: 'To', cell: (m) => m.to.join(', '), className: 'break-all' },
            {
              header: 'Subject',
              cell: (m) => (
                <a href={`#${withQuery(PATH, query, { mail: m.id })}`} aria-current={m.id === open ? 'true' : undefined} className="text-sky-800 underline hover:no-underline dark:text-sky-300">
                  {m.subject || '(no subject)'}
                </a>
              ),
            },
            { header: 'From', cell: (m) => m.from, className: 'break-all' },
            { header: 'Campaign', cell: (m) => (m.campaign_id ? `#${m.campaign_id} · contact ${m.contact_id}` : '—') },
          ]}
          rows={mails.data?.items}
          rowKey={(m) => m.id}
          rowClassName={(m) => `align-top ${m.id === open ? 'bg-sky-50 dark:bg-slate-800' : ''}`}
          loading={mails.loading}
          error={mails.error}
          emptyText="The sink has received no mail matching these filters."
        />
        <PageLinks cursor={query.get('cursor')} next={mails.data?.next_cursor ?? null} onPage={(c) => go({ cursor: c, mail: null })} />
      </Panel>
      {open ? <SentMailDetail id={open} onClose={() => go({ mail: null })} /> : null}
    </div>
  );
}
