import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import type { QaLead } from '@/modules/qa/types/QaLead';
import { matchesFilters } from '@/modules/qa/utils/leadFilters';

/**
 * The grid's rows after leads changed elsewhere (`fresh`: those leads as the API now has
 * them). A row already in the grid is updated where it stands, even when it no longer
 * matches the filters, so nothing moves away under the reviewer; a lead the grid lacks joins
 * in id order (the API's order) if it matches, unless the grid stops before it (truncated).
 */
export function applyLeadChanges(rows: QaLead[], fresh: QaLead[], filters: LeadFilters, truncated: boolean): QaLead[] {
  const waiting = new Map(fresh.map((lead) => [lead.id, lead]));
  let touched = false;
  const updated = rows.map((row) => {
    const lead = waiting.get(row.id);
    if (!lead) return row;
    waiting.delete(row.id);
    touched = true;
    return { ...row, ...lead };
  });
  const last = rows.length > 0 ? rows[rows.length - 1].id : 0;
  const joining = [...waiting.values()].filter((lead) => matchesFilters(lead, filters) && (!truncated || lead.id < last));
  if (joining.length === 0) return touched ? updated : rows;
  return [...updated, ...joining].sort((a, b) => a.id - b.id);
}
