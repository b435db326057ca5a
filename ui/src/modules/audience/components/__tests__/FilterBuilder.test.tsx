import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import { FIELDS } from '@/modules/audience/utils/__tests__/fields';
import { FilterBuilder } from '@/modules/audience/components/FilterBuilder';
import type { GroupNode } from '@/modules/audience/types/Filter';
import { newGroup } from '@/modules/audience/utils/filterTree';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

function Harness({ initial = newGroup(), showCount = true }: { initial?: GroupNode; showCount?: boolean }) {
  const [tree, setTree] = useState(initial);
  return <FilterBuilder fields={FIELDS} value={tree} onChange={setTree} showCount={showCount} />;
}

const counts = (spy: ReturnType<typeof fakeApi>) =>
  spy.mock.calls.filter(([url]) => String(url).endsWith('/audience/count')).map(([, init]) => JSON.parse(String(init?.body)));

describe('FilterBuilder', () => {
  beforeEach(() => signInAs('data_ops', 'Dataops'));

  it('counts every contact for an empty filter, then once per pause in typing', async () => {
    const spy = fakeApi({ 'POST /audience/count': (body: { filter: { conditions: unknown[] } }) => ({ count: body.filter.conditions.length ? 3 : 40 }) });
    const user = userEvent.setup();
    render(<Harness />);
    expect(await screen.findByText('40 contacts match')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    expect(await screen.findByText('Fix the marked conditions to see the count.')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Condition 1 operator'), 'contains');
    await user.type(screen.getByLabelText('Condition 1 value'), 'chief');
    expect(await screen.findByText('3 contacts match')).toBeInTheDocument();
    const sent = counts(spy);
    // One for the empty filter, one for the finished word: keystrokes in between are debounced.
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ filter: { op: 'and', conditions: [{ field: 'contact.job_title', operator: 'contains', value: 'chief' }] } });
  });

  it('offers only the operators of the field’s type and typed inputs', async () => {
    fakeApi({ 'POST /audience/count': { count: 1 } });
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    await user.selectOptions(screen.getByLabelText('Condition 1 field'), 'contact.created_at');
    const operators = within(screen.getByLabelText('Condition 1 operator')).getAllByRole('option').map((o) => o.textContent);
    expect(operators).toEqual(['is', 'is not', 'is empty', 'has a value', 'is between', 'is before', 'is after']);
    await user.selectOptions(screen.getByLabelText('Condition 1 operator'), 'between');
    expect(screen.getByLabelText('Condition 1 from')).toHaveAttribute('type', 'date');
    await user.selectOptions(screen.getByLabelText('Condition 1 field'), 'contact.phone_status');
    await user.selectOptions(screen.getByLabelText('Condition 1 operator'), 'in');
    await user.click(screen.getByLabelText('valid'));
    await user.click(screen.getByLabelText('missing'));
    expect(await screen.findByText('1 contact matches')).toBeInTheDocument();
  });

  it('builds nested groups and shows each problem on its condition', async () => {
    const spy = fakeApi({ 'POST /audience/count': { count: 2 } });
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Add group' }));
    expect(screen.getByRole('group', { name: 'Group 1' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Condition 1.1 field'), 'account.staff_count');
    await user.selectOptions(screen.getByLabelText('Condition 1.1 operator'), 'gt');
    await user.type(screen.getByLabelText('Condition 1.1 value'), 'many');
    expect(screen.getByText('Enter a number.')).toBeInTheDocument();
    expect(screen.getByLabelText('Condition 1.1 value')).toHaveAttribute('aria-invalid', 'true');
    await user.clear(screen.getByLabelText('Condition 1.1 value'));
    await user.type(screen.getByLabelText('Condition 1.1 value'), '200');
    await user.click(screen.getByRole('button', { name: 'Add condition to group 1' }));
    await user.selectOptions(screen.getByLabelText('Condition 1.2 operator'), 'has_value');
    expect(await screen.findByText('2 contacts match')).toBeInTheDocument();
    const last = counts(spy).at(-1);
    expect(last).toEqual({
      filter: {
        op: 'and',
        conditions: [
          {
            op: 'or',
            conditions: [
              { field: 'account.staff_count', operator: 'gt', value: 200 },
              { field: 'contact.job_title', operator: 'has_value' },
            ],
          },
        ],
      },
    });
    await user.click(screen.getByRole('button', { name: 'Remove group 1' }));
    expect(screen.queryByRole('group', { name: 'Group 1' })).not.toBeInTheDocument();
  });

  it('shows the API’s refusal in words and asks nothing when the count is off', async () => {
    fakeApi({
      'POST /audience/count': new Response(JSON.stringify({ status: 403, code: 'forbidden', message: 'Your role may not read segments.', errors: [] }), { status: 403 }),
    });
    render(<Harness />);
    expect(await screen.findByText('Your role may not read segments.')).toBeInTheDocument();
  });

  it('hides the count when asked to', () => {
    const spy = fakeApi({});
    render(<Harness showCount={false} />);
    expect(screen.queryByTestId('live-count')).not.toBeInTheDocument();
    expect(counts(spy)).toHaveLength(0);
  });
});
