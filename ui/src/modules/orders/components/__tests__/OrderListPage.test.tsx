import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { OrderListPage } from '@/modules/orders/components/OrderListPage';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

const USER = { id: 9, email: 'buyer@acme-demo.com', full_name: 'Buyer', role: 'client_user' as const, client_id: 1 };
const order = (id: number, status: string) => ({ id, title: `Order ${id}`, kind: 'email', status, lead_goal: 10, submitted_at: null });

beforeEach(() => signInAs('client_user'));

describe('OrderListPage', () => {
  it('lists the newest order first; a draft links to its wizard, others to their report', async () => {
    fakeApi({ 'GET /client/orders': { items: [order(1, 'submitted'), order(2, 'draft')], next_cursor: null } });
    render(<OrderListPage user={USER} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    const links = await screen.findAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['#/orders/2/edit', '#/orders/1']);
  });

  it('keeps the status filter in the URL and says when nothing has it', async () => {
    fakeApi({ 'GET /client/orders': { items: [], next_cursor: null } });
    const navigate = vi.fn();
    render(<OrderListPage user={USER} params={{}} query={new URLSearchParams('status=completed')} navigate={navigate} />);
    expect(await screen.findByText('No order has this status.')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'draft');
    expect(navigate).toHaveBeenCalledWith('/orders?status=draft');
  });
});
