import type { ActionRow, ActionSpec, ConditionRow, FieldSpec, RuleDraft, TriggerSpec } from '@/modules/admin/types/Automation';

export const LIST_OPS = ['in', 'not_in'];

/** A new condition on the trigger's first field (or `field`), with its first operator. */
export function newCondition(trigger: TriggerSpec, field?: FieldSpec): ConditionRow {
  const spec = field ?? trigger.fields[0];
  return { field: spec?.name ?? '', op: spec?.operators[0]?.op ?? 'eq', value: defaultValue(spec), values: [] };
}

/** Another field: the operator kept when the new field allows it, the value started afresh. */
export function withField(row: ConditionRow, field: FieldSpec): ConditionRow {
  const op = field.operators.some((o) => o.op === row.op) ? row.op : (field.operators[0]?.op ?? 'eq');
  return { field: field.name, op, value: defaultValue(field), values: [] };
}

/** An action of `spec`'s type, a choice parameter on its first choice. */
export function newAction(spec: ActionSpec): ActionRow {
  return { type: spec.type, params: Object.fromEntries(spec.params.map((p) => [p.name, p.type === 'choice' ? (p.choices[0] ?? '') : ''])) };
}

/** The draft moved to another trigger: rows that still make sense on it are kept. */
export function retarget(draft: RuleDraft, trigger: TriggerSpec): RuleDraft {
  const fields = new Map(trigger.fields.map((f) => [f.name, f]));
  const conditions = draft.conditions.filter((c) => fields.get(c.field)?.operators.some((o) => o.op === c.op));
  const kept = draft.actions.filter((a) => trigger.actions.some((spec) => spec.type === a.type));
  const first = trigger.actions[0];
  return { ...draft, trigger: trigger.trigger, conditions, actions: kept.length || !first ? kept : [newAction(first)] };
}

function defaultValue(field: FieldSpec | undefined): string {
  if (field?.type === 'choice') return field.choices[0] ?? '';
  if (field?.type === 'boolean') return 'true';
  return '';
}
