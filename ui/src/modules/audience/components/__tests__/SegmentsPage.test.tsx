import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import { SegmentsPage } from '@/modules/audience/components/SegmentsPage';
import { FIELDS } from '@/modules/audience/utils/__tests__/fields';
import type { User } from '@/modules/auth/types/Session';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const user: User = { id: 7, email: 'manager@demo.pivotal.dev', full_name: 'Manager', role: 'campaign_manager', client_id: null };

function Harness({ start = '' }: { start?: string }) {
  const [route, setRoute] = useState(start);
  return <SegmentsPage user={user} params={{}} query={new URLSearchParams(route.split('?')[1] ?? '')} navigate={setRoute} />;
}

const saved = {
  id: 3,
  name: 'Big accounts',
  filter: { op: 'and', conditions: [{ field: 'account.staff_count', operator: 'gt', value: 500 }] },
  owner_id: 7,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('SegmentsPage', () => {
  beforeEach(() => signInAs('campaign_manager', 'Manager'));

  it('keeps what was typed when the save is refused, then saves', async () => {
    let refuse = true;
    const spy = fakeApi({
      'GET /segments': { items: [], next_cursor: null },
      'GET /audience/fields': FIELDS,
      'POST /audience/count': { count: 5 },
      'POST /segments': () =>
        refuse
          ? new Response(JSON.stringify({ status: 422, code: 'validation_error', message: 'The request is not valid.', errors: [{ field: 'name', message: 'Too long.' }] }), { status: 422 })
          : saved,
      'GET /segments/3': saved,
      'GET /segments/3/count': { count: 5 },
    });
    const u = userEvent.setup();
    render(<Harness />);
    await u.click(await screen.findByRole('button', { name: 'New segment' }));
    await u.type(await screen.findByLabelText('Name'), 'Big accounts');
    await u.click(screen.getByRole('button', { name: 'Add condition' }));
    await u.selectOptions(screen.getByLabelText('Condition 1 field'), 'account.staff_count');
    await u.selectOptions(screen.getByLabelText('Condition 1 operator'), 'gt');
    await u.type(screen.getByLabelText('Condition 1 value'), '500');
    await u.click(screen.getByRole('button', { name: 'Save segment' }));
    expect(await screen.findByText(/Too long\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveValue('Big accounts');
    expect(screen.getByLabelText('Condition 1 value')).toHaveValue('500');
    refuse = false;
    await u.click(screen.getByRole('button', { name: 'Save segment' }));
    expect(await screen.findByRole('heading', { name: 'Segment: Big accounts' })).toBeInTheDocument();
    expect(requestsTo(spy, 'POST', '/segments').at(-1)).toEqual({ name: 'Big accounts', filter: saved.filter });
  });

  it('opens a saved segment from the link and saves changes with PATCH', async () => {
    const spy = fakeApi({
      'GET /segments': { items: [saved], next_cursor: null },
      'GET /audience/fields': FIELDS,
      'POST /audience/count': { count: 2 },
      'GET /segments/3': saved,
      'GET /segments/3/count': { count: 9 },
      'PATCH /segments/3': (body: { name: string }) => ({ ...saved, name: body.name, updated_at: '2026-01-02T00:00:00Z' }),
    });
    const u = userEvent.setup();
    render(<Harness start="/audience/segments?segment=3" />);
    expect(await screen.findByText('9 contacts')).toBeInTheDocument();
    expect(await screen.findByLabelText('Condition 1 value')).toHaveValue('500');
    await u.clear(screen.getByLabelText('Name'));
    await u.type(screen.getByLabelText('Name'), 'Bigger accounts');
    await u.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(requestsTo(spy, 'PATCH', '/segments/3')).toEqual([{ name: 'Bigger accounts', filter: saved.filter }]);
  });
});
