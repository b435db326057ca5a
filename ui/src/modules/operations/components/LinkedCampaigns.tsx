import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { DataTable } from '@/modules/forms/components/DataTable';
import type { CampaignLink, DeliveryRow } from '@/modules/operations/types/CampaignLink';
import { campaignFilter } from '@/modules/operations/utils/statusMoves';

type Report = { rows: DeliveryRow[] };

type Props = {
  links: CampaignLink[];
  version: number;
  onUnlink: (link: CampaignLink) => void;
  /** Copies the order's questions into a call campaign (asks first). */
  onCopyQuestions: (link: CampaignLink) => void;
};

/** The order's campaigns with their delivery so far (the KPI reports, all time). */
export function LinkedCampaigns({ links, version, onUnlink, onCopyQuestions }: Props) {
  const filter = campaignFilter(links.map((l) => l.campaign_id));
  const calls = useApiResource<Report>(filter ? `/reports/telemarketing?group_by=campaign&${filter}` : null, version);
  const mails = useApiResource<Report>(filter ? `/reports/email?group_by=campaign&${filter}` : null, version);
  const row = (report: Report | null, id: number) => report?.rows.find((r) => r.key === id);
  const figure = (header: string, value: (link: CampaignLink) => number | undefined) => ({ header, cell: (link: CampaignLink) => value(link) ?? 0, className: 'tabular-nums' });
  return (
    <section aria-labelledby="linked-title">
      <h3 id="linked-title" className="mb-1 text-sm font-semibold">
        Linked campaigns
      </h3>
      <DataTable
        caption="Linked campaigns"
        columns={[
          {
            header: 'Campaign',
            cell: (link) => (
              <>
                {link.campaign_name} <span className="text-xs text-slate-600 dark:text-slate-400">({link.campaign_kind})</span>
              </>
            ),
          },
          { header: 'Status', cell: (link) => link.campaign_status },
          { header: 'Questions', cell: (link) => (link.questions_match === null ? '—' : link.questions_match ? 'as ordered' : 'differ from the order') },
          figure('Dials', (link) => row(calls.data, link.campaign_id)?.attempts),
          figure('Leads', (link) => row(calls.data, link.campaign_id)?.leads),
          figure('Approved', (link) => row(calls.data, link.campaign_id)?.approved),
          figure('Emails sent', (link) => row(mails.data, link.campaign_id)?.sent),
        ]}
        rows={links}
        rowKey={(link) => link.campaign_id}
        rowTestId={(link) => `link-${link.campaign_id}`}
        emptyText={<span data-testid="no-links">No campaign is linked: the client sees no progress yet.</span>}
        actions={[
          { label: 'Copy questions', name: (link) => `Copy the order’s questions into ${link.campaign_name}`, when: (link) => link.questions_match !== null, run: onCopyQuestions },
          { label: 'Unlink', name: (link) => `Unlink ${link.campaign_name}`, tone: 'danger', run: onUnlink },
        ]}
      />
    </section>
  );
}
