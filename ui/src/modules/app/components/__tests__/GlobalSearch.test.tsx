import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { GlobalSearch } from '@/modules/app/components/GlobalSearch';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

describe('GlobalSearch', () => {
  it('lists what the API finds and opens a reachable hit from the keyboard', async () => {
    signInAs('campaign_manager');
    const calls = fakeApi({
      'GET /search': {
        query: 'mon',
        hits: [
          { kind: 'contact', id: 3, title: 'Ann Monroe', detail: 'CTO' },
          { kind: 'campaign', id: 9, title: 'Monday push', detail: 'call · running' },
        ],
      },
    });
    const navigate = vi.fn();
    render(<GlobalSearch role="campaign_manager" onNavigate={navigate} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('combobox'), 'mon');
    expect(await screen.findByRole('option', { name: /Ann Monroe/ })).toBeInTheDocument();
    expect(screen.getAllByRole('option')).toHaveLength(2);
    expect(String(calls.mock.calls.at(-1)?.[0])).toContain('/search?q=mon');
    await user.keyboard('{Enter}'); // no screen opens contacts yet: nothing happens
    expect(navigate).not.toHaveBeenCalled();
  });

  it('asks nothing for a single character', async () => {
    signInAs('admin');
    const calls = fakeApi({});
    render(<GlobalSearch role="admin" onNavigate={vi.fn()} />);
    await userEvent.setup().type(screen.getByRole('combobox'), 'a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).not.toHaveBeenCalled();
  });
});
