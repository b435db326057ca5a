import type { ActionRow, ConditionRow, FieldSpec, ParamSpec, RuleDraft, TriggerSpec, ValueType } from '@/modules/admin/types/Automation';
import { grouped } from '@/modules/admin/utils/rulePaths';
import { LIST_OPS } from '@/modules/admin/utils/ruleRows';

export type RuleBody = { name: string; trigger: string; conditions: Record<string, unknown>[]; actions: Record<string, unknown>[] };

/**
 * The API's rule from the editor's rows, each value typed as its field wants. A value that
 * does not read as its type is sent as typed, so the server names it at its row.
 */
export function buildRule(draft: RuleDraft, trigger: TriggerSpec | undefined): RuleBody {
  const fields = new Map((trigger?.fields ?? []).map((f) => [f.name, f]));
  const actions = new Map((trigger?.actions ?? []).map((a) => [a.type, a]));
  const conditions = draft.conditions.map((row) => condition(row, fields.get(row.field)));
  return {
    name: draft.name,
    trigger: draft.trigger,
    conditions: grouped(draft) ? [{ any: conditions }] : conditions,
    actions: draft.actions.map((row) => action(row, actions.get(row.type)?.params ?? [])),
  };
}

function condition(row: ConditionRow, field: FieldSpec | undefined): Record<string, unknown> {
  if (row.op === 'changed') return { field: row.field, op: row.op };
  const type = field?.type ?? 'text';
  const items = row.values.map((v) => v.trim()).filter((v) => v !== ''); // typed lists are split on commas
  const value = LIST_OPS.includes(row.op) ? items.map((v) => typed(v, type)) : typed(row.value, type);
  return { field: row.field, op: row.op, value };
}

function action(row: ActionRow, params: ParamSpec[]): Record<string, unknown> {
  const built: Record<string, unknown> = { type: row.type };
  for (const param of params) {
    const text = row.params[param.name] ?? '';
    built[param.name] = text === '' && !param.required ? null : typed(text, param.type);
  }
  return built;
}

/** `text` as a value of `type`: numbers and ids as numbers, booleans as booleans. */
export function typed(text: string, type: ValueType): unknown {
  if (type === 'number' || type === 'user' || type === 'subscription') {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (type === 'boolean') return text === 'true';
  return text;
}
