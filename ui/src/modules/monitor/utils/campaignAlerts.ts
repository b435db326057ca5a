import type { CampaignSnapshot } from '@/modules/live/types/LiveEvent';

/** What a manager should look at on a running campaign. */
export function campaignAlerts(campaign: CampaignSnapshot): string[] {
  if (campaign.status !== 'running') return [];
  const alerts: string[] = [];
  const agents = Object.values(campaign.agents).reduce((sum, n) => sum + (n ?? 0), 0);
  if (agents === 0) alerts.push('No agents logged in');
  if (campaign.queue_depth === 0) alerts.push('No dialable leads in the queue');
  return alerts;
}

export function connectRate(campaign: CampaignSnapshot): string {
  if (!campaign.dials) return '–';
  return `${Math.round((100 * campaign.connects) / campaign.dials)}%`;
}
