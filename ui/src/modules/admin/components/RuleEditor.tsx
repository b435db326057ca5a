import { useState } from 'react';

import { RuleValueInput } from '@/modules/admin/components/RuleValueInput';
import type { AdminUser } from '@/modules/admin/types/Admin';
import type { ActionRow, Catalogue, ConditionRow, RuleDraft, TriggerSpec } from '@/modules/admin/types/Automation';
import { buildRule } from '@/modules/admin/utils/buildRule';
import { humanize } from '@/modules/admin/utils/humanize';
import { conditionPath } from '@/modules/admin/utils/rulePaths';
import { LIST_OPS, newAction, newCondition, retarget, withField } from '@/modules/admin/utils/ruleRows';
import type { ApiError } from '@/modules/api/utils/ApiError';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

/** What the user and subscription pickers offer. */
export type Picks = { users: Pick<AdminUser, 'id' | 'email' | 'full_name'>[]; subscriptions: { id: number; url: string }[] };

type Props = {
  catalogue: Catalogue;
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  /** The last save's error: its field errors show at their rows. */
  error: ApiError | null;
  picks: Picks;
  /** A saved rule keeps its trigger. */
  triggerFixed?: boolean;
};

/** A rule as rows: the trigger, conditions on its fields (all must hold) and actions with their typed parameters. */
export function RuleEditor({ catalogue, draft, onChange, error, picks, triggerFixed = false }: Props) {
  const [asJson, setAsJson] = useState(false);
  const trigger = catalogue.triggers.find((t) => t.trigger === draft.trigger);
  const setCondition = (i: number, row: ConditionRow) => onChange({ ...draft, conditions: draft.conditions.map((c, j) => (j === i ? row : c)) });
  const setAction = (i: number, row: ActionRow) => onChange({ ...draft, actions: draft.actions.map((a, j) => (j === i ? row : a)) });
  const message = (path: string) => fieldMessage(error, path);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <Field label="Rule name" error={message('name')} className="min-w-60">
          <input className={INPUT} value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} />
        </Field>
        <Field label="Trigger" error={message('trigger')} hint={trigger ? `Acts on the ${trigger.record_type}.` : undefined} className="min-w-56">
          <select
            className={INPUT}
            value={draft.trigger}
            disabled={triggerFixed}
            onChange={(e) => {
              const next = catalogue.triggers.find((t) => t.trigger === e.target.value);
              if (next) onChange(retarget(draft, next));
            }}
          >
            {catalogue.triggers.map((t) => (
              <option key={t.trigger} value={t.trigger}>
                {t.trigger}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {trigger ? (
        <>
          <fieldset className="space-y-2 rounded-md border border-slate-300 p-3 dark:border-slate-600">
            <legend className="px-1 text-sm font-medium">Conditions (none: always)</legend>
            <div role="radiogroup" aria-label="Which conditions must hold" className="flex flex-wrap gap-4 text-sm">
              {(['all', 'any'] as const).map((match) => (
                <label key={match} className="flex items-center gap-1">
                  <input type="radio" name="rule-match" checked={draft.match === match} onChange={() => onChange({ ...draft, match })} />
                  {match === 'all' ? 'All of them (AND)' : 'Any of them (OR)'}
                </label>
              ))}
            </div>
            {draft.conditions.map((row, i) => (
              <ConditionEditor
                key={i}
                n={i}
                where={conditionPath(draft, i)}
                row={row}
                trigger={trigger}
                picks={picks}
                message={message}
                onChange={(next) => setCondition(i, next)}
                onRemove={() => onChange({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}
              />
            ))}
            <Button disabled={!trigger.fields.length} onClick={() => onChange({ ...draft, conditions: [...draft.conditions, newCondition(trigger)] })}>
              Add condition
            </Button>
          </fieldset>
          <fieldset className="space-y-2 rounded-md border border-slate-300 p-3 dark:border-slate-600" aria-describedby={message('actions') ? 'rule-actions-error' : undefined}>
            <legend className="px-1 text-sm font-medium">Actions (in this order)</legend>
            {message('actions') ? (
              <p id="rule-actions-error" className="text-sm text-rose-700 dark:text-rose-300">
                {message('actions')}
              </p>
            ) : null}
            {draft.actions.map((row, i) => (
              <ActionEditor
                key={i}
                n={i}
                where={`actions.${i}`}
                row={row}
                trigger={trigger}
                picks={picks}
                message={message}
                onChange={(next) => setAction(i, next)}
                onRemove={() => onChange({ ...draft, actions: draft.actions.filter((_, j) => j !== i) })}
              />
            ))}
            <Button onClick={() => onChange({ ...draft, actions: [...draft.actions, newAction(trigger.actions[0])] })}>Add action</Button>
          </fieldset>
        </>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} />
        View as JSON (what is sent)
      </label>
      {asJson ? (
        <pre data-testid="rule-json" tabIndex={0} aria-label="The rule as JSON" className="max-h-72 overflow-auto rounded-md bg-slate-100 p-3 font-mono text-xs text-slate-900 dark:bg-slate-800 dark:text-slate-100">
          {JSON.stringify(buildRule(draft, trigger), null, 2)}
        </pre>
      ) : null}
    </div>
  );
}

type RowProps<T> = {
  n: number;
  /** The row's error path: `conditions.1`, `conditions.0.any.1`, `actions.0`. */
  where: string;
  row: T;
  trigger: TriggerSpec;
  picks: Picks;
  message: (path: string) => string | undefined;
  onChange: (row: T) => void;
  onRemove: () => void;
};

/** field · operator · value, the operators and the value's input following the field's type. */
function ConditionEditor({ n, where, row, trigger, picks, message, onChange, onRemove }: RowProps<ConditionRow>) {
  const field = trigger.fields.find((f) => f.name === row.field);
  const label = `Condition ${n + 1}`;
  const list = LIST_OPS.includes(row.op);
  return (
    <div data-testid={`condition-${n}`} className="flex flex-wrap items-end gap-2">
      <Field label={`${label} field`} error={message(`${where}.field`)} className="min-w-44">
        <select
          className={INPUT}
          value={row.field}
          onChange={(e) => {
            const next = trigger.fields.find((f) => f.name === e.target.value);
            if (next) onChange(withField(row, next));
          }}
        >
          {field ? null : <option value={row.field}>{row.field} (unknown)</option>}
          {trigger.fields.map((f) => (
            <option key={f.name} value={f.name}>
              {humanize(f.name)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={`${label} operator`} error={message(`${where}.op`)} className="min-w-36">
        <select className={INPUT} value={row.op} onChange={(e) => onChange({ ...row, op: e.target.value, values: [] })}>
          {(field?.operators ?? []).map((o) => (
            <option key={o.op} value={o.op}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      {row.op === 'changed' || !field ? null : list && field.type === 'choice' ? (
        <fieldset className="flex flex-wrap gap-2 pb-1" aria-describedby={message(`${where}.value`) ? `${where}-value` : undefined}>
          <legend className="text-sm font-medium">{label} values</legend>
          {field.choices.map((c) => (
            <label key={c} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={row.values.includes(c)}
                onChange={() => onChange({ ...row, values: row.values.includes(c) ? row.values.filter((v) => v !== c) : [...row.values, c] })}
              />
              {humanize(c)}
            </label>
          ))}
          {message(`${where}.value`) ? (
            <p id={`${where}-value`} className="w-full text-sm text-rose-700 dark:text-rose-300">
              {message(`${where}.value`)}
            </p>
          ) : null}
        </fieldset>
      ) : list ? (
        <Field label={`${label} values`} hint="Separate them with commas." error={message(`${where}.value`)} className="min-w-60">
          <input className={INPUT} value={row.values.join(',')} onChange={(e) => onChange({ ...row, values: e.target.value.split(',') })} />
        </Field>
      ) : (
        <RuleValueInput label={`${label} value`} type={field.type} choices={field.choices} value={row.value} onChange={(value) => onChange({ ...row, value })} error={message(`${where}.value`)} picks={picks} />
      )}
      <Button aria-label={`Remove condition ${n + 1}`} onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}

/** The action's type, then one typed input per parameter it takes. */
function ActionEditor({ n, where, row, trigger, picks, message, onChange, onRemove }: RowProps<ActionRow>) {
  const spec = trigger.actions.find((a) => a.type === row.type);
  const label = `Action ${n + 1}`;
  return (
    <div data-testid={`action-${n}`} className="flex flex-wrap items-end gap-2">
      <Field label={`${label} type`} error={message(`${where}.type`)} className="min-w-40">
        <select
          className={INPUT}
          value={row.type}
          onChange={(e) => {
            const next = trigger.actions.find((a) => a.type === e.target.value);
            if (next) onChange(newAction(next));
          }}
        >
          {spec ? null : <option value={row.type}>{row.type} (not for this trigger)</option>}
          {trigger.actions.map((a) => (
            <option key={a.type} value={a.type}>
              {humanize(a.type)}
            </option>
          ))}
        </select>
      </Field>
      {(spec?.params ?? []).map((param) => (
        <RuleValueInput
          key={param.name}
          label={`${label} ${humanize(param.name)}`}
          type={param.type}
          choices={param.choices}
          value={row.params[param.name] ?? ''}
          onChange={(value) => onChange({ ...row, params: { ...row.params, [param.name]: value } })}
          error={message(`${where}.${param.name}`)}
          picks={picks}
          optional={!param.required}
          className={param.type === 'text' ? 'min-w-64 flex-1' : 'min-w-44'}
        />
      ))}
      <Button aria-label={`Remove action ${n + 1}`} onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}
