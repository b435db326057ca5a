import { PageLinks } from '@/modules/admin/components/PageLinks';
import { withQuery } from '@/modules/admin/utils/withQuery';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { LoadState } from '@/modules/forms/components/LoadState';
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
        <LoadState loading={mails.loading && !mails.data} error={mails.error} empty={mails.data?.items.length === 0} emptyText="The sink has received no mail matching these filters." />
        {mails.data?.items.length ? (
          <table data-testid="sent-mail" className="w-full text-left text-sm">
            <thead>
              <tr>
                <th className="py-1">Received</th>
                <th>To</th>
                <th>Subject</th>
                <th>From</th>
                <th>Campaign</th>
              </tr>
            </thead>
            <tbody>
              {mails.data.items.map((m) => (
                <tr key={m.id} className={`border-t border-slate-200 align-top dark:border-slate-700 ${m.id === open ? 'bg-sky-50 dark:bg-slate-800' : ''}`}>
                  <td className="py-1.5 whitespace-nowrap">{new Date(m.received_at).toLocaleString()}</td>
                  <td className="break-all">{m.to.join(', ')}</td>
                  <td>
                    <a href={`#${withQuery(PATH, query, { mail: m.id })}`} aria-current={m.id === open ? 'true' : undefined} className="text-sky-800 underline hover:no-underline dark:text-sky-300">
                      {m.subject || '(no subject)'}
                    </a>
                  </td>
                  <td className="break-all">{m.from}</td>
                  <td>{m.campaign_id ? `#${m.campaign_id} · contact ${m.contact_id}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <PageLinks cursor={query.get('cursor')} next={mails.data?.next_cursor ?? null} onPage={(c) => go({ cursor: c, mail: null })} />
      </Panel>
      {open ? <SentMailDetail id={open} onClose={() => go({ mail: null })} /> : null}
    </div>
  );
}
