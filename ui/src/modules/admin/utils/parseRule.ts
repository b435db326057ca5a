import type { ActionRow, ConditionRow, Rule, RuleDraft } from '@/modules/admin/types/Automation';
import { LIST_OPS } from '@/modules/admin/utils/ruleRows';

/** A saved rule as the editor's rows (the reverse of buildRule), to edit it. */
export function parseRule(rule: Pick<Rule, 'name' | 'trigger' | 'conditions' | 'actions'>): RuleDraft {
  const conditions: ConditionRow[] = rule.conditions.map((c) => {
    const op = String(c.op ?? '');
    const list = LIST_OPS.includes(op) && Array.isArray(c.value);
    return { field: String(c.field ?? ''), op, value: list ? '' : asText(c.value), values: list ? (c.value as unknown[]).map(asText) : [] };
  });
  const actions: ActionRow[] = rule.actions.map(({ type, ...params }) => ({
    type: String(type ?? ''),
    params: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, asText(value)])),
  }));
  return { name: rule.name, trigger: rule.trigger, conditions, actions };
}

function asText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
