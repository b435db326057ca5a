import type { ImportEntity } from '@/modules/audience/types/Import';

export type Mapping = Record<string, string | null>;

/** The columns an import needs one of (engine/imports.py, ENTITIES[...].needs). */
const NEEDS: Record<ImportEntity, { fields: string[]; message: string }> = {
  contact: { fields: ['email', 'direct_phone', 'mobile_phone'], message: 'Map an email or a phone column.' },
  account: { fields: ['name'], message: 'Map the account name column.' },
};

/** What the server would refuse in a mapping, by header ('' for the whole mapping), so the
 * user sees it before running. */
export function mappingProblems(mapping: Mapping, entity: ImportEntity): Record<string, string> {
  const problems: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    if (!target) continue;
    const earlier = seen.get(target);
    if (earlier !== undefined) problems[header] = `${target} is already mapped from “${earlier}”.`;
    else seen.set(target, header);
  }
  if (!NEEDS[entity].fields.some((field) => seen.has(field))) problems[''] = NEEDS[entity].message;
  return problems;
}

/** `custom.seats` → "seats (custom)"; `direct_phone` → "direct phone". */
export function targetLabel(target: string): string {
  return target.startsWith('custom.') ? `${target.slice(7).replace(/_/g, ' ')} (custom)` : target.replace(/_/g, ' ');
}
