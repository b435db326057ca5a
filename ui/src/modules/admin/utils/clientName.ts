import type { ClientOrg } from '@/modules/admin/types/Admin';

/** A client organisation's name for a table cell: `none` when there is no client, its id
 * until the list has loaded (or when it is not in it). */
export function clientName(clients: ClientOrg[] | null, clientId: number | null, none = '—'): string {
  if (clientId === null) return none;
  return clients?.find((c) => c.id === clientId)?.name ?? `#${clientId}`;
}
