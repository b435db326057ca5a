import { DomainSetsPage } from '@/modules/audience/components/DomainSetsPage';
import { ImportsPage } from '@/modules/audience/components/ImportsPage';
import { ListsPage } from '@/modules/audience/components/ListsPage';
import { SegmentsPage } from '@/modules/audience/components/SegmentsPage';
import { ConsolePage } from '@/modules/console/components/ConsolePage';
import { MonitorPage } from '@/modules/monitor/components/MonitorPage';
import type { Screen } from '@/modules/app/types/Screen';

/**
 * Every screen of the app, in navigation order. A screen lists the roles that may open it;
 * the header shows a role the labelled ones, and the first one is where it lands.
 * Add a screen here, in its own module folder; nothing else needs to change.
 */
export const SCREENS: Screen[] = [
  { path: '/console', label: 'Console', roles: ['agent'], component: ConsolePage },
  { path: '/monitor', label: 'Pacing monitor', roles: ['admin', 'campaign_manager'], component: MonitorPage },
  { path: '/audience/segments', label: 'Segments', roles: ['admin', 'campaign_manager', 'data_ops'], component: SegmentsPage },
  { path: '/audience/lists', label: 'Lists', roles: ['admin', 'campaign_manager', 'data_ops'], component: ListsPage },
  { path: '/audience/domain-sets', label: 'Domain sets', roles: ['admin', 'campaign_manager', 'data_ops'], component: DomainSetsPage },
  { path: '/audience/imports', label: 'Imports', roles: ['admin', 'campaign_manager', 'data_ops'], component: ImportsPage },
];
