import type { DomainListAudience } from '@/modules/orders/types/Order';
import { plural } from '@/modules/ui/utils/plural';

/** What a domain list matched, in one sentence: "3 domains, 2 matched (67%), 1 line was not a domain." */
export function matchSummary(stats: DomainListAudience['stats']): string {
  const invalid = `${plural(stats.invalid, 'line')} ${stats.invalid === 1 ? 'was not a domain' : 'were not domains'}`;
  return `${plural(stats.unique, 'domain')}, ${stats.matched.toLocaleString()} matched (${Math.round(stats.match_rate * 100)}%)${stats.invalid ? `, ${invalid}` : ''}.`;
}
