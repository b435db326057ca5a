import type { ActionRow, ConditionRow, Rule, RuleDraft } from '@/modules/admin/types/Automation';
import { LIST_OPS } from '@/modules/admin/utils/ruleRows';

type Saved = Pick<Rule, 'name' | 'trigger' | 'conditions' | 'actions'>;

/**
 * A saved rule as the editor's rows (the reverse of buildRule), to edit it; null for a rule
 * written through the API in a shape the rows cannot hold (an OR group beside other conditions).
 */
export function parseRule(rule: Saved): RuleDraft | null {
  const [first] = rule.conditions;
  const group = rule.conditions.length === 1 && Array.isArray(first?.any) ? (first.any as Record<string, unknown>[]) : null;
  const plain = group ?? rule.conditions;
  if (plain.some((c) => 'any' in c)) return null;
  const actions: ActionRow[] = rule.actions.map(({ type, ...params }) => ({
    type: String(type ?? ''),
    params: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, asText(value)])),
  }));
  return { name: rule.name, trigger: rule.trigger, match: group ? 'any' : 'all', conditions: plain.map(row), actions };
}

function row(c: Record<string, unknown>): ConditionRow {
  const op = String(c.op ?? '');
  const list = LIST_OPS.includes(op) && Array.isArray(c.value);
  return { field: String(c.field ?? ''), op, value: list ? '' : asText(c.value), values: list ? (c.value as unknown[]).map(asText) : [] };
}

function asText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
