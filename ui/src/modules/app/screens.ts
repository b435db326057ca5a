import { ConsolePage } from '@/modules/console/components/ConsolePage';
import { MonitorPage } from '@/modules/monitor/components/MonitorPage';
import type { Screen } from '@/modules/app/types/Screen';
import { ApiKeysPage } from '@/modules/admin/components/ApiKeysPage';
import { AuditPage } from '@/modules/admin/components/AuditPage';
import { AutomationPage } from '@/modules/admin/components/AutomationPage';
import { SuppressionsPage } from '@/modules/admin/components/SuppressionsPage';
import { UsersPage } from '@/modules/admin/components/UsersPage';
import { WebhooksPage } from '@/modules/admin/components/WebhooksPage';
import { CallCampaignPage } from '@/modules/setup/components/CallCampaignPage';
import { CampaignListPage } from '@/modules/setup/components/CampaignListPage';
import { EmailCampaignPage } from '@/modules/setup/components/EmailCampaignPage';

/**
 * Every screen of the app, in navigation order. A screen lists the roles that may open it;
 * the header shows a role the labelled ones, and the first one is where it lands.
 * Add a screen here, in its own module folder; nothing else needs to change.
 */
export const SCREENS: Screen[] = [
  { path: '/console', label: 'Console', roles: ['agent'], component: ConsolePage },
  { path: '/monitor', label: 'Pacing monitor', roles: ['admin', 'campaign_manager'], component: MonitorPage },
  { path: '/campaigns', label: 'Campaigns', roles: ['admin', 'campaign_manager'], component: CampaignListPage },
  { path: '/campaigns/call/:id', roles: ['admin', 'campaign_manager'], component: CallCampaignPage },
  { path: '/campaigns/email/:id', roles: ['admin', 'campaign_manager'], component: EmailCampaignPage },
  { path: '/admin', label: 'Admin', roles: ['admin'], component: UsersPage },
  { path: '/admin/api-keys', roles: ['admin'], component: ApiKeysPage },
  { path: '/admin/suppressions', roles: ['admin'], component: SuppressionsPage },
  { path: '/admin/webhooks', roles: ['admin'], component: WebhooksPage },
  { path: '/admin/automation', roles: ['admin'], component: AutomationPage },
  { path: '/admin/audit', roles: ['admin'], component: AuditPage },
];
