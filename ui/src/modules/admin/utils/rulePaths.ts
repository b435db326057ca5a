import type { ActionSpec, RuleDraft } from '@/modules/admin/types/Automation';

/** The error paths the editor shows at a row (`conditions.0.value`, `actions.1.user_id`), so the page lists only the rest. */
export function rulePaths(draft: RuleDraft, actions: ActionSpec[]): string[] {
  const params = new Map(actions.map((a) => [a.type, a.params.map((p) => p.name)]));
  return [
    'name',
    'trigger',
    'actions',
    ...draft.conditions.flatMap((_, i) => ['field', 'op', 'value'].map((part) => `conditions.${i}.${part}`)),
    ...draft.actions.flatMap((row, i) => ['type', ...(params.get(row.type) ?? [])].map((part) => `actions.${i}.${part}`)),
  ];
}
