import type { ActionSpec, RuleDraft } from '@/modules/admin/types/Automation';

/** Whether the conditions go out as one OR group: "any" of two or more (one is the same either way). */
export function grouped(draft: RuleDraft): boolean {
  return draft.match === 'any' && draft.conditions.length > 1;
}

/** Where the API reports condition `i`'s errors: `conditions.1`, or `conditions.0.any.1` inside the OR group. */
export function conditionPath(draft: RuleDraft, i: number): string {
  return grouped(draft) ? `conditions.0.any.${i}` : `conditions.${i}`;
}

/** The error paths the editor shows at a row (`conditions.0.value`, `actions.1.user_id`), so the page lists only the rest. */
export function rulePaths(draft: RuleDraft, actions: ActionSpec[]): string[] {
  const params = new Map(actions.map((a) => [a.type, a.params.map((p) => p.name)]));
  return [
    'name',
    'trigger',
    'actions',
    ...draft.conditions.flatMap((_, i) => ['field', 'op', 'value'].map((part) => `${conditionPath(draft, i)}.${part}`)),
    ...draft.actions.flatMap((row, i) => ['type', ...(params.get(row.type) ?? [])].map((part) => `actions.${i}.${part}`)),
  ];
}
