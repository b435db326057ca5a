import { describe, expect, it } from 'vitest';

import type { RuleDraft } from '@/modules/admin/types/Automation';
import { buildRule } from '@/modules/admin/utils/buildRule';
import { parseRule } from '@/modules/admin/utils/parseRule';
import { rulePaths } from '@/modules/admin/utils/rulePaths';
import { newAction, newCondition, retarget, withField } from '@/modules/admin/utils/ruleRows';

import { CATALOGUE } from './catalogueSample';

const [CONTACT, LEAD] = CATALOGUE.triggers;
const field = (trigger: typeof LEAD, name: string) => trigger.fields.find((f) => f.name === name)!;

describe('rule rows', () => {
  it('offers the operators of the field’s type and keeps one only while it fits', () => {
    const status = newCondition(LEAD);
    expect(status).toEqual({ field: 'qa_status', op: 'eq', value: 'new', values: [] });
    const listed = { ...status, op: 'in', values: ['approved'] };
    const score = withField(listed, field(LEAD, 'ai_score'));
    expect(score).toEqual({ field: 'ai_score', op: 'eq', value: '', values: [] }); // a number has no "is one of"
    expect(withField({ ...score, op: 'gt' }, field(LEAD, 'ai_score')).op).toBe('gt');
    expect(newCondition(CONTACT, field(CONTACT, 'created_at')).op).toBe('gt'); // a date: after, before, changed
    expect(field(CONTACT, 'created_at').operators.map((o) => o.op)).toEqual(['gt', 'lt', 'changed']);
  });

  it('starts an action with its parameters, a choice on its first option', () => {
    expect(newAction(CONTACT.actions[2])).toEqual({ type: 'update_field', params: { field: 'department', value: '' } });
  });

  it('keeps on another trigger only the rows that fit it', () => {
    const draft: RuleDraft = {
      name: 'r',
      trigger: 'contact.updated',
      match: 'all',
      conditions: [{ field: 'job_title', op: 'changed', value: '', values: [] }],
      actions: [newAction(CONTACT.actions[1]), newAction(CONTACT.actions[3])],
    };
    const moved = retarget(draft, LEAD);
    expect(moved.trigger).toBe('qa.decided');
    expect(moved.conditions).toEqual([]);
    expect(moved.actions.map((a) => a.type)).toEqual(['webhook']); // a lead cannot be assigned
    expect(retarget({ ...draft, actions: [newAction(CONTACT.actions[1])] }, LEAD).actions.map((a) => a.type)).toEqual(['notify']);
  });
});

describe('buildRule and parseRule', () => {
  const draft: RuleDraft = {
    name: 'Good leads',
    trigger: 'qa.decided',
    match: 'all',
    conditions: [
      { field: 'qa_status', op: 'in', value: '', values: ['approved', 'rejected'] },
      { field: 'ai_score', op: 'gt', value: '70', values: [] },
      { field: 'qa_status', op: 'changed', value: 'new', values: [] },
    ],
    actions: [
      { type: 'notify', params: { user_id: '7', message: 'Look' } },
      { type: 'webhook', params: { subscription_id: '3' } },
    ],
  };
  const rule = {
    name: 'Good leads',
    trigger: 'qa.decided',
    conditions: [
      { field: 'qa_status', op: 'in', value: ['approved', 'rejected'] },
      { field: 'ai_score', op: 'gt', value: 70 },
      { field: 'qa_status', op: 'changed' },
    ],
    actions: [
      { type: 'notify', user_id: 7, message: 'Look' },
      { type: 'webhook', subscription_id: 3 },
    ],
  };

  it('types every value as its field wants', () => {
    expect(buildRule(draft, LEAD)).toEqual(rule);
  });

  it('splits typed lists on commas and sends an empty optional parameter as null', () => {
    const built = buildRule(
      {
        name: 'x',
        trigger: 'contact.updated',
        match: 'all',
        conditions: [
          { field: 'job_title', op: 'not_in', value: '', values: ['CTO', ' Chief Technology Officer', ' '] },
          { field: 'owner_id', op: 'eq', value: 'someone', values: [] },
        ],
        actions: [{ type: 'update_field', params: { field: 'department', value: '' } }],
      },
      CONTACT,
    );
    expect(built.conditions).toEqual([
      { field: 'job_title', op: 'not_in', value: ['CTO', 'Chief Technology Officer'] },
      { field: 'owner_id', op: 'eq', value: 'someone' }, // not a number: the server names it at its row
    ]);
    expect(built.actions).toEqual([{ type: 'update_field', field: 'department', value: null }]);
  });

  it('reads a saved rule back into the same rows', () => {
    const parsed = parseRule(rule)!;
    expect(buildRule(parsed, LEAD)).toEqual(rule);
    expect(parsed.conditions[0].values).toEqual(['approved', 'rejected']);
    expect(parsed.actions[0]).toEqual({ type: 'notify', params: { user_id: '7', message: 'Look' } });
  });

  it('sends "any" as one OR group and reads it back; a shape the rows cannot hold is not parsed', () => {
    const either = { ...draft, match: 'any' as const };
    const built = buildRule(either, LEAD);
    expect(built.conditions).toEqual([{ any: rule.conditions }]);
    const back = parseRule(built)!;
    expect(back.match).toBe('any');
    expect(buildRule(back, LEAD)).toEqual(built);
    const single = { ...either, conditions: either.conditions.slice(0, 1) };
    expect(buildRule(single, LEAD).conditions).toEqual(rule.conditions.slice(0, 1)); // one condition: no group
    expect(parseRule({ ...rule, conditions: [rule.conditions[0], { any: rule.conditions }] })).toBeNull();
    expect(rulePaths(either, LEAD.actions)).toContain('conditions.0.any.1.value');
  });

  it('names the error paths shown at the rows', () => {
    const paths = rulePaths(draft, LEAD.actions);
    expect(paths).toContain('conditions.2.value');
    expect(paths).toContain('actions.0.message');
    expect(paths).toContain('actions.1.subscription_id');
    expect(paths).not.toContain('actions.1.user_id');
  });
});
