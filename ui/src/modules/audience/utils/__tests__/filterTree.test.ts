import { describe, expect, it } from 'vitest';

import { FIELDS, field } from '@/modules/audience/utils/__tests__/fields';
import type { ConditionNode, GroupNode } from '@/modules/audience/types/Filter';
import {
  MAX_CONDITIONS,
  addCondition,
  apiFilterOrNull,
  addGroup,
  catalogueOf,
  fieldLabel,
  fromApiFilter,
  label,
  newGroup,
  removeNode,
  setField,
  setGroupOp,
  setOperator,
  setValue,
  splitItems,
  toApiFilter,
  validateTree,
  valueShape,
} from '@/modules/audience/utils/filterTree';

const catalogue = catalogueOf(FIELDS);
const first = (tree: GroupNode, index = 0) => tree.children[index] as ConditionNode;
const nested = (tree: GroupNode, index: number) => tree.children[index] as GroupNode;


function tree(name: string): GroupNode {
  const root = newGroup();
  return addCondition(root, root.id, field(name));
}

describe('tree edits', () => {
  it('adds conditions with the field’s first operator and an empty value', () => {
    const root = tree('contact.job_title');
    expect(first(root)).toMatchObject({ kind: 'condition', field: 'contact.job_title', operator: 'equals', value: '' });
  });

  it('gives a boolean field a yes by default', () => {
    expect(first(tree('contact.custom.vip')).value).toBe('true');
  });

  it('ignores an edit aimed at a missing node', () => {
    const root = addCondition(newGroup(), 'missing', field('contact.job_title'));
    expect(root.children).toEqual([]);
  });

  it('nests a group with the opposite operator and one condition', () => {
    let root = tree('contact.job_title');
    root = addGroup(root, root.id, field('contact.city'));
    const group = nested(root, 1);
    expect(group.op).toBe('or');
    expect(group.children).toHaveLength(1);
    root = addCondition(root, group.id, field('account.staff_count'));
    expect(nested(root, 1).children).toHaveLength(2);
    expect(nested(addGroup(root, group.id, field('contact.city')), 1).children[2]).toMatchObject({ kind: 'group', op: 'and' });
  });

  it('switches a group between and / or without touching others', () => {
    let root = tree('contact.job_title');
    root = addGroup(root, root.id, field('contact.city'));
    root = setGroupOp(root, nested(root, 1).id, 'and');
    expect(root.op).toBe('and');
    expect(nested(root, 1).op).toBe('and');
    root = setGroupOp(root, root.id, 'or');
    expect(root.op).toBe('or');
  });

  it('removes a condition, and a nested group with its last condition', () => {
    let root = tree('contact.job_title');
    root = addGroup(root, root.id, field('contact.city'));
    const inner = first(nested(root, 1));
    root = removeNode(root, inner.id);
    expect(root.children).toHaveLength(1);
    root = removeNode(root, first(root).id);
    expect(root.children).toEqual([]);
  });

  it('clears the root instead of removing it', () => {
    const root = tree('contact.job_title');
    const cleared = removeNode(root, root.id);
    expect(cleared.id).toBe(root.id);
    expect(cleared.children).toEqual([]);
  });

  it('never changes the tree it was given', () => {
    const root = tree('contact.job_title');
    const before = JSON.stringify(root);
    setValue(root, first(root).id, 'cto');
    addGroup(root, root.id, field('contact.city'));
    expect(JSON.stringify(root)).toBe(before);
  });
});

describe('field and operator changes', () => {
  it('keeps an operator and value that still apply to the new field', () => {
    let root = tree('contact.job_title');
    root = setOperator(root, first(root).id, 'contains', field('contact.job_title'));
    root = setValue(root, first(root).id, 'vp');
    root = setField(root, first(root).id, field('contact.city'), field('contact.job_title'));
    expect(first(root)).toMatchObject({ field: 'contact.city', operator: 'contains', value: 'vp' });
  });

  it('falls back to the first valid operator and clears the value for another type', () => {
    let root = tree('contact.job_title');
    root = setOperator(root, first(root).id, 'contains', field('contact.job_title'));
    root = setValue(root, first(root).id, 'vp');
    root = setField(root, first(root).id, field('account.staff_count'), field('contact.job_title'));
    expect(first(root)).toMatchObject({ operator: 'equals', value: '' });
    root = setField(root, first(root).id, field('contact.created_at'), field('account.staff_count'));
    expect(first(root).operator).toBe('equals');
  });

  it('does not carry a value over to an enum (it must be one of its options)', () => {
    let root = tree('contact.job_title');
    root = setValue(root, first(root).id, 'cto');
    root = setField(root, first(root).id, field('contact.phone_status'), field('contact.job_title'));
    expect(first(root).value).toBe('');
  });

  it('converts what was typed to the operator’s shape', () => {
    const staff = field('account.staff_count');
    let root = tree('account.staff_count');
    const id = first(root).id;
    root = setValue(root, id, '50');
    root = setOperator(root, id, 'between', staff);
    expect(first(root).value).toEqual(['50', '']);
    root = setValue(root, id, ['50', '500']);
    root = setOperator(root, id, 'in', staff);
    expect(first(root).value).toBe('50');
    root = setValue(root, id, '10, 20');
    root = setOperator(root, id, 'gt', staff);
    expect(first(root).value).toBe('10');
    root = setOperator(root, id, 'is_empty', staff);
    expect(first(root).value).toBeNull();
    root = setOperator(root, id, 'lt', staff);
    expect(first(root).value).toBe('');
  });

  it('keeps a value whose shape does not change, commas included', () => {
    const title = field('contact.job_title');
    let root = tree('contact.job_title');
    const id = first(root).id;
    root = setValue(root, id, 'VP, Sales');
    root = setOperator(root, id, 'contains', title);
    expect(first(root).value).toBe('VP, Sales');
    root = setOperator(root, id, 'not_in', title);
    root = setOperator(root, id, 'in', title);
    expect(first(root).value).toBe('VP, Sales');
  });

  it('knows each operator’s value shape', () => {
    expect(valueShape('has_value')).toBe('none');
    expect(valueShape('between')).toBe('pair');
    expect(valueShape('not_in')).toBe('many');
    expect(valueShape('before')).toBe('single');
  });
});

describe('validation', () => {
  const check = (name: string, operator: ConditionNode['operator'], value: ConditionNode['value']) => {
    let root = tree(name);
    root = setOperator(root, first(root).id, operator, field(name));
    root = setValue(root, first(root).id, value);
    return Object.values(validateTree(root, catalogue))[0] ?? null;
  };

  it('accepts an empty root (every contact)', () => {
    expect(validateTree(newGroup(), catalogue)).toEqual({});
  });

  it('asks for a value', () => {
    expect(check('contact.job_title', 'contains', '  ')).toBe('Enter a value.');
    expect(check('contact.job_title', 'is_empty', null)).toBeNull();
  });

  it('checks numbers, dates and calendar days', () => {
    expect(check('account.staff_count', 'gt', 'ten')).toBe('Enter a number.');
    expect(check('account.staff_count', 'gt', '10.5')).toBeNull();
    expect(check('contact.created_at', 'before', '2026/01/01')).toBe('Enter a date as YYYY-MM-DD.');
    expect(check('contact.created_at', 'before', '2026-02-30')).toBe('Enter a date as YYYY-MM-DD.');
    expect(check('contact.created_at', 'before', '2024-02-29')).toBeNull();
  });

  it('checks both ends of a range and their order', () => {
    expect(check('account.staff_count', 'between', ['500', '50'])).toBe('The low end is above the high end.');
    expect(check('account.staff_count', 'between', ['9', '10'])).toBeNull();
    expect(check('account.staff_count', 'between', ['9', ''])).toBe('Enter a value.');
    expect(check('contact.created_at', 'between', ['2026-03-01', '2026-01-01'])).toBe('The low end is above the high end.');
    expect(check('contact.created_at', 'between', ['2026-01-01', '2026-01-01'])).toBeNull();
  });

  it('checks every item of a list and that there is one', () => {
    expect(check('contact.city', 'in', ' , ')).toBe('Enter at least one value.');
    expect(check('account.staff_count', 'in', '10, x')).toBe('x: Enter a number.');
    expect(check('contact.phone_status', 'in', 'valid, nope')).toBe('nope: Pick one of valid, invalid, missing.');
    expect(check('contact.phone_status', 'not_in', 'valid\ninvalid')).toBeNull();
  });

  it('checks enum options, booleans and text length', () => {
    expect(check('contact.phone_status', 'equals', 'maybe')).toMatch(/Pick one of/);
    expect(check('contact.custom.vip', 'equals', 'yes')).toBe('Pick yes or no.');
    expect(check('contact.job_title', 'equals', 'x'.repeat(501))).toBe('At most 500 characters.');
  });

  it('refuses an operator the field does not take and an unknown field', () => {
    expect(check('contact.created_at', 'contains', 'x')).toBe('contains does not apply to date fields.');
    const root = fromApiFilter({ field: 'contact.shoe_size', operator: 'equals', value: '9' });
    expect(Object.values(validateTree(root, catalogue))).toEqual(['Unknown field contact.shoe_size.']);
  });

  it('refuses an empty nested group, deep nesting and too many conditions', () => {
    const empty = fromApiFilter({ op: 'and', conditions: [{ op: 'or', conditions: [] }] });
    expect(validateTree(empty, catalogue)).toEqual({ [nested(empty, 0).id]: 'A nested group needs at least one condition.' });
    let deep: ReturnType<typeof fromApiFilter> | { op: 'and'; conditions: unknown[] } = {
      op: 'and',
      conditions: [{ field: 'contact.city', operator: 'has_value' }],
    };
    for (let level = 0; level < 5; level += 1) deep = { op: 'and', conditions: [deep] };
    const errors = Object.values(validateTree(fromApiFilter(deep as never), catalogue));
    expect(errors).toEqual(['Groups nest at most 5 deep.']);
    const many = {
      op: 'or' as const,
      conditions: Array.from({ length: MAX_CONDITIONS + 1 }, () => ({ field: 'contact.city', operator: 'has_value' as const })),
    };
    expect(Object.values(validateTree(fromApiFilter(many), catalogue))).toEqual(['A filter has at most 100 conditions.']);
  });
});

describe('serialisation', () => {
  it('writes the API’s JSON with typed values', () => {
    let root = tree('contact.job_title');
    root = setOperator(root, first(root).id, 'contains', field('contact.job_title'));
    root = setValue(root, first(root).id, '  cto ');
    root = addGroup(root, root.id, field('account.staff_count'));
    const group = nested(root, 1);
    root = setOperator(root, group.children[0].id, 'between', field('account.staff_count'));
    root = setValue(root, group.children[0].id, ['50', '500']);
    root = addCondition(root, group.id, field('contact.phone_status'));
    const phone = nested(root, 1).children[1].id;
    root = setOperator(root, phone, 'in', field('contact.phone_status'));
    root = setValue(root, phone, 'valid,\n invalid,');
    root = addCondition(root, root.id, field('contact.custom.vip'));
    root = addCondition(root, root.id, field('account.tech_stack'));
    root = setOperator(root, first(root, 3).id, 'has_value', field('account.tech_stack'));
    expect(validateTree(root, catalogue)).toEqual({});
    expect(toApiFilter(root, catalogue)).toEqual({
      op: 'and',
      conditions: [
        { field: 'contact.job_title', operator: 'contains', value: 'cto' },
        {
          op: 'or',
          conditions: [
            { field: 'account.staff_count', operator: 'between', value: [50, 500] },
            { field: 'contact.phone_status', operator: 'in', value: ['valid', 'invalid'] },
          ],
        },
        { field: 'contact.custom.vip', operator: 'equals', value: true },
        { field: 'account.tech_stack', operator: 'has_value' },
      ],
    });
  });

  it('reads a saved filter back to the same JSON', () => {
    const saved = {
      op: 'or' as const,
      conditions: [
        { field: 'contact.created_at', operator: 'between' as const, value: ['2026-01-01', '2026-02-01'] },
        { op: 'and' as const, conditions: [{ field: 'account.staff_count', operator: 'in' as const, value: [10, 20] }] },
        { field: 'contact.custom.vip', operator: 'equals' as const, value: false },
        { field: 'contact.city', operator: 'is_empty' as const },
      ],
    };
    const root = fromApiFilter(saved);
    expect(first(root).value).toEqual(['2026-01-01', '2026-02-01']);
    expect(first(nested(root, 1)).value).toBe('10, 20');
    expect(toApiFilter(root, catalogue)).toEqual(saved);
  });

  it('reads a lone condition as a group of one', () => {
    const root = fromApiFilter({ field: 'contact.city', operator: 'equals', value: 'Denver' });
    expect(root).toMatchObject({ kind: 'group', op: 'and', children: [{ field: 'contact.city', value: 'Denver' }] });
  });

  it('splits list items on commas and lines', () => {
    expect(splitItems(' a,b\n\n c ,')).toEqual(['a', 'b', 'c']);
  });
});

describe('words', () => {
  it('labels operators, list operators and fields', () => {
    expect(label('not_in')).toBe('is none of');
    expect(label('contains', field('account.tech_stack'))).toBe('has');
    expect(fieldLabel('contact.direct_phone_e164')).toBe('direct phone');
    expect(fieldLabel('contact.custom.seats')).toBe('seats (custom)');
  });
});

describe('apiFilterOrNull', () => {
  it('is null while the tree does not validate', () => {
    const root = tree('account.staff_count');
    expect(apiFilterOrNull(root, catalogue)).toBeNull();
    const fixed = setValue(root, first(root).id, '5');
    expect(apiFilterOrNull(fixed, catalogue)).toEqual({
      op: 'and',
      conditions: [{ field: 'account.staff_count', operator: 'equals', value: 5 }],
    });
  });
});
