import { useMemo } from 'react';

import { useLiveCount } from '@/modules/audience/hooks/useLiveCount';
import type { ConditionNode, FieldInfo, GroupNode } from '@/modules/audience/types/Filter';
import {
  MAX_DEPTH,
  addCondition,
  addGroup,
  catalogueOf,
  fieldLabel,
  label,
  removeNode,
  setField,
  setGroupOp,
  setOperator,
  setValue,
  toApiFilter,
  validateTree,
} from '@/modules/audience/utils/filterTree';
import { ConditionValue } from '@/modules/audience/components/ConditionValue';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  /** The fields to offer (`GET /audience/fields`). */
  fields: FieldInfo[];
  value: GroupNode;
  onChange: (tree: GroupNode) => void;
  /** Show the live count of matching contacts (staff roles only may ask it). */
  showCount?: boolean;
};

const CONTROL =
  'rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-2 focus:outline-sky-600 dark:border-slate-600 dark:bg-slate-900';

/** Nested AND/OR groups of typed conditions on the API's fields, with a live count. */
export function FilterBuilder({ fields, value, onChange, showCount = true }: Props) {
  const catalogue = useMemo(() => catalogueOf(fields), [fields]);
  const errors = useMemo(() => validateTree(value, catalogue), [value, catalogue]);
  const valid = Object.keys(errors).length === 0;
  const filter = useMemo(() => (valid ? toApiFilter(value, catalogue) : null), [valid, value, catalogue]);
  const live = useLiveCount(showCount ? filter : null);
  if (fields.length === 0) return <p className="text-sm">No filterable fields are available.</p>;
  return (
    <div className="space-y-2" data-testid="filter-builder">
      <GroupEditor
        group={value}
        path=""
        depth={1}
        ctx={{ root: value, onChange, catalogue, fields, errors }}
      />
      {showCount ? (
        <p aria-live="polite" className="text-sm" data-testid="live-count">
          {!valid ? (
            <span className="text-amber-800 dark:text-amber-300">Fix the marked conditions to see the count.</span>
          ) : live.error ? (
            <span className="text-rose-700 dark:text-rose-300">{live.error}</span>
          ) : live.loading || live.count === null ? (
            'Counting…'
          ) : (
            <strong>
              {live.count.toLocaleString()} {live.count === 1 ? 'contact matches' : 'contacts match'}
            </strong>
          )}
        </p>
      ) : null}
    </div>
  );
}

type Ctx = {
  root: GroupNode;
  onChange: (tree: GroupNode) => void;
  catalogue: Map<string, FieldInfo>;
  fields: FieldInfo[];
  errors: Record<string, string>;
};

function GroupEditor({ group, path, depth, ctx }: { group: GroupNode; path: string; depth: number; ctx: Ctx }) {
  const name = path ? `Group ${path}` : 'All conditions';
  const error = ctx.errors[group.id];
  return (
    <fieldset
      className={`space-y-2 rounded-md border p-2 ${depth > 1 ? 'border-sky-300 bg-sky-50/50 dark:border-sky-800 dark:bg-sky-950/30' : 'border-slate-300 dark:border-slate-700'}`}
    >
      <legend className="px-1 text-sm font-medium">{name}</legend>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-1">
          Match
          <select
            aria-label={`${name}: match`}
            className={CONTROL}
            value={group.op}
            onChange={(e) => ctx.onChange(setGroupOp(ctx.root, group.id, e.target.value as 'and' | 'or'))}
          >
            <option value="and">all of (AND)</option>
            <option value="or">any of (OR)</option>
          </select>
        </label>
        {group.children.length === 0 && depth === 1 ? <span>No conditions: every contact matches.</span> : null}
      </div>
      {error ? <p className="text-sm text-rose-700 dark:text-rose-300">{error}</p> : null}
      <ul className="space-y-2">
        {group.children.map((child, index) => {
          const childPath = path ? `${path}.${index + 1}` : `${index + 1}`;
          return (
            <li key={child.id}>
              {child.kind === 'group' ? (
                <GroupEditor group={child} path={childPath} depth={depth + 1} ctx={ctx} />
              ) : (
                <ConditionRow condition={child} path={childPath} ctx={ctx} />
              )}
            </li>
          );
        })}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => ctx.onChange(addCondition(ctx.root, group.id, ctx.fields[0]))}>
          Add condition{path ? ` to group ${path}` : ''}
        </Button>
        {depth < MAX_DEPTH ? (
          <Button onClick={() => ctx.onChange(addGroup(ctx.root, group.id, ctx.fields[0]))}>
            Add group{path ? ` in group ${path}` : ''}
          </Button>
        ) : null}
        {depth > 1 ? (
          <Button tone="danger" onClick={() => ctx.onChange(removeNode(ctx.root, group.id))}>
            Remove group {path}
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}

function ConditionRow({ condition, path, ctx }: { condition: ConditionNode; path: string; ctx: Ctx }) {
  const field = ctx.catalogue.get(condition.field);
  const name = `Condition ${path}`;
  const error = ctx.errors[condition.id];
  const errorId = `${condition.id}-error`;
  const entities = ['contact', 'account'] as const;
  return (
    <div className="flex flex-wrap items-start gap-2 rounded border border-slate-200 bg-white p-2 dark:border-slate-700 dark:bg-slate-900">
      <select
        aria-label={`${name} field`}
        className={CONTROL}
        value={condition.field}
        onChange={(e) => {
          const next = ctx.catalogue.get(e.target.value);
          if (next) ctx.onChange(setField(ctx.root, condition.id, next, field));
        }}
      >
        {field ? null : <option value={condition.field}>{condition.field}</option>}
        {entities.map((entity) => (
          <optgroup key={entity} label={entity === 'contact' ? 'Contact' : 'Account'}>
            {ctx.fields
              .filter((f) => f.entity === entity)
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {fieldLabel(f.name)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <select
        aria-label={`${name} operator`}
        className={CONTROL}
        value={condition.operator}
        disabled={!field}
        onChange={(e) => field && ctx.onChange(setOperator(ctx.root, condition.id, e.target.value as ConditionNode['operator'], field))}
      >
        {(field?.operators ?? [condition.operator]).map((op) => (
          <option key={op} value={op}>
            {label(op, field)}
          </option>
        ))}
      </select>
      {field ? (
        <ConditionValue
          name={name}
          field={field}
          operator={condition.operator}
          value={condition.value}
          invalid={Boolean(error)}
          describedBy={error ? errorId : undefined}
          className={CONTROL}
          onChange={(next) => ctx.onChange(setValue(ctx.root, condition.id, next))}
        />
      ) : null}
      <Button aria-label={`Remove condition ${path}`} onClick={() => ctx.onChange(removeNode(ctx.root, condition.id))}>
        Remove
      </Button>
      {error ? (
        <p id={errorId} className="basis-full text-sm text-rose-700 dark:text-rose-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
