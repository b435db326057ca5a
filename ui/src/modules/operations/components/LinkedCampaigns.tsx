import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignLink, DeliveryRow } from '@/modules/operations/types/CampaignLink';
import { campaignFilter } from '@/modules/operations/utils/statusMoves';
import { Button } from '@/modules/ui/components/Button';

type Report = { rows: DeliveryRow[] };

/** The order's campaigns with their delivery so far (the KPI reports, all time). */
export function LinkedCampaigns({ links, version, onUnlink }: { links: CampaignLink[]; version: number; onUnlink: (link: CampaignLink) => void }) {
  const filter = campaignFilter(links.map((l) => l.campaign_id));
  const calls = useApiResource<Report>(filter ? `/reports/telemarketing?group_by=campaign&${filter}` : null, version);
  const mails = useApiResource<Report>(filter ? `/reports/email?group_by=campaign&${filter}` : null, version);
  const row = (report: Report | null, id: number) => report?.rows.find((r) => r.key === id);
  return (
    <section aria-labelledby="linked-title">
      <h3 id="linked-title" className="mb-1 text-sm font-semibold">
        Linked campaigns
      </h3>
      {links.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="no-links">
          No campaign is linked: the client sees no progress yet.
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Dials</th>
              <th scope="col">Leads</th>
              <th scope="col">Approved</th>
              <th scope="col">Emails sent</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {links.map((link) => {
              const call = row(calls.data, link.campaign_id);
              return (
                <tr key={link.campaign_id} data-testid={`link-${link.campaign_id}`}>
                  <td className="py-1.5">
                    {link.campaign_name} <span className="text-xs text-slate-600 dark:text-slate-400">({link.campaign_kind})</span>
                  </td>
                  <td>{link.campaign_status}</td>
                  <td className="tabular-nums">{call?.attempts ?? 0}</td>
                  <td className="tabular-nums">{call?.leads ?? 0}</td>
                  <td className="tabular-nums">{call?.approved ?? 0}</td>
                  <td className="tabular-nums">{row(mails.data, link.campaign_id)?.sent ?? 0}</td>
                  <td className="text-right">
                    <Button tone="danger" onClick={() => onUnlink(link)} aria-label={`Unlink ${link.campaign_name}`}>
                      Unlink
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
