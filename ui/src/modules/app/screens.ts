import { DomainSetsPage } from '@/modules/audience/components/DomainSetsPage';
import { ImportsPage } from '@/modules/audience/components/ImportsPage';
import { ListsPage } from '@/modules/audience/components/ListsPage';
import { SegmentsPage } from '@/modules/audience/components/SegmentsPage';
import { ConsolePage } from '@/modules/console/components/ConsolePage';
import { MonitorPage } from '@/modules/monitor/components/MonitorPage';
import { QaPage } from '@/modules/qa/components/QaPage';
import { EmailPacingPage } from '@/modules/pacing/components/EmailPacingPage';
import { ReportsPage } from '@/modules/reports/components/ReportsPage';
import type { Screen } from '@/modules/app/types/Screen';
import { OrdersInboxPage } from '@/modules/operations/components/OrdersInboxPage';
import { OrderListPage } from '@/modules/orders/components/OrderListPage';
import { OrderReportPage } from '@/modules/orders/components/OrderReportPage';
import { OrderWizardPage } from '@/modules/orders/components/OrderWizardPage';
import { ApiKeysPage } from '@/modules/admin/components/ApiKeysPage';
import { ClientsPage } from '@/modules/admin/components/ClientsPage';
import { AuditPage } from '@/modules/admin/components/AuditPage';
import { SettingsPage } from '@/modules/admin/components/SettingsPage';
import { AutomationPage } from '@/modules/admin/components/AutomationPage';
import { SuppressionsPage } from '@/modules/admin/components/SuppressionsPage';
import { UsersPage } from '@/modules/admin/components/UsersPage';
import { WebhooksPage } from '@/modules/admin/components/WebhooksPage';
import { CallCampaignPage } from '@/modules/setup/components/CallCampaignPage';
import { CampaignListPage } from '@/modules/setup/components/CampaignListPage';
import { EmailCampaignPage } from '@/modules/setup/components/EmailCampaignPage';
import { SentMailPage } from '@/modules/sink/components/SentMailPage';

/**
 * Every screen of the app, in navigation order. A screen lists the roles that may open it;
 * the header shows a role the labelled ones, and the first one is where it lands.
 * Add a screen here, in its own module folder; nothing else needs to change.
 */
export const SCREENS: Screen[] = [
  { path: '/console', label: 'Console', roles: ['agent'], component: ConsolePage },
  { path: '/monitor', label: 'Wallboard', roles: ['admin', 'campaign_manager'], component: MonitorPage },
  { path: '/email-pacing', label: 'Email pacing', roles: ['admin', 'campaign_manager'], component: EmailPacingPage },
  { path: '/qa', label: 'QA', roles: ['qa_analyst', 'admin', 'campaign_manager'], component: QaPage },
  { path: '/reports', label: 'Reports', roles: ['admin', 'campaign_manager', 'qa_analyst'], component: ReportsPage },
  { path: '/orders', label: 'Orders', roles: ['client_user'], component: OrderListPage },
  { path: '/orders/new', roles: ['client_user'], component: OrderWizardPage },
  { path: '/orders/:id/edit', roles: ['client_user'], component: OrderWizardPage },
  { path: '/orders/:id', roles: ['client_user'], component: OrderReportPage },
  { path: '/inbox', label: 'Orders inbox', roles: ['admin', 'campaign_manager'], component: OrdersInboxPage, opens: 'order' },
  { path: '/audience/segments', label: 'Segments', roles: ['admin', 'campaign_manager', 'data_ops'], component: SegmentsPage },
  { path: '/audience/lists', label: 'Lists', roles: ['admin', 'campaign_manager', 'data_ops'], component: ListsPage },
  { path: '/audience/domain-sets', label: 'Domain sets', roles: ['admin', 'campaign_manager', 'data_ops'], component: DomainSetsPage },
  { path: '/audience/imports', label: 'Imports', roles: ['admin', 'campaign_manager', 'data_ops'], component: ImportsPage },
  { path: '/campaigns', label: 'Campaigns', roles: ['admin', 'campaign_manager'], component: CampaignListPage },
  { path: '/campaigns/call/:id', roles: ['admin', 'campaign_manager'], component: CallCampaignPage },
  { path: '/campaigns/email/:id', roles: ['admin', 'campaign_manager'], component: EmailCampaignPage },
  { path: '/admin', label: 'Admin', roles: ['admin'], component: UsersPage },
  { path: '/admin/api-keys', roles: ['admin'], component: ApiKeysPage },
  { path: '/admin/suppressions', roles: ['admin'], component: SuppressionsPage },
  { path: '/admin/webhooks', roles: ['admin'], component: WebhooksPage },
  { path: '/admin/automation', roles: ['admin'], component: AutomationPage },
  { path: '/admin/audit', roles: ['admin'], component: AuditPage },
  { path: '/admin/settings', roles: ['admin'], component: SettingsPage },
  { path: '/sent-mail', label: 'Sent mail (sink)', roles: ['admin', 'campaign_manager'], component: SentMailPage },
  { path: '/admin/clients', roles: ['admin'], component: ClientsPage },
];
