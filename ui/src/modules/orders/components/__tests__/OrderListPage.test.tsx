import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { OrderListPage } from '@/modules/orders/components/OrderListPage';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

const USER = { id: 9, email: 'buyer@acme-demo.com', full_name: 'Buyer', role: 'client_user' as const, client_id: 1 };
const order = (id: number, status: string) => ({ id, client_name: 'Acme Corp', title: `Order ${id}`, kind: 'email', status, lead_goal: 10, submitted_at: null });
const page = (ids: number[], next: string | null) => ({ items: ids.map((id) => order(id, id % 2 ? 'submitted' : 'draft')), next_cursor: next });

beforeEach(() => signInAs('client_user'));

function urls(api: ReturnType<typeof fakeApi>): string[] {
  return api.mock.calls.map(([input]) => String(input));
}

describe('OrderListPage', () => {
  it('lists the orders as the server sorted them, with the organisation name; a draft opens its wizard', async () => {
    const api = fakeApi({ 'GET /client/orders': page([2, 1], null) });
    render(<OrderListPage user={USER} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    const links = await screen.findAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['#/orders/2/edit', '#/orders/1']);
    expect(screen.getByTestId('client-name')).toHaveTextContent('Acme Corp');
    expect(urls(api)).toEqual(['/api/v1/client/orders?sort=-created&limit=50']);
    expect(screen.queryByRole('button', { name: 'Load more orders' })).not.toBeInTheDocument();
  });

  it('asks the server with the URL filters and puts new ones in the URL', async () => {
    const api = fakeApi({ 'GET /client/orders': { items: [], next_cursor: null } });
    const navigate = vi.fn();
    render(<OrderListPage user={USER} params={{}} query={new URLSearchParams('status=completed&search=q3&sort=title')} navigate={navigate} />);
    expect(await screen.findByText('No order matches these filters.')).toBeInTheDocument();
    expect(urls(api)).toEqual(['/api/v1/client/orders?status=completed&q=q3&sort=title&limit=50']);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'draft');
    expect(navigate).toHaveBeenLastCalledWith('/orders?status=draft&search=q3&sort=title');
    await userEvent.selectOptions(screen.getByLabelText('Sort'), '-submitted');
    expect(navigate).toHaveBeenLastCalledWith('/orders?status=completed&search=q3&sort=-submitted');
    await userEvent.type(screen.getByLabelText('Search orders'), ' leads');
    // one navigation once the typing stops, not one per keystroke
    await waitFor(() => expect(navigate).toHaveBeenLastCalledWith('/orders?status=completed&search=q3+leads&sort=title'));
    expect(navigate).toHaveBeenCalledTimes(3);
  });

  it('loads the next page after the last one, keeping the filters', async () => {
    const api = fakeApi({
      'GET /client/orders?status=submitted&sort=-created&limit=50': page([9, 7], 'c1'),
      'GET /client/orders?status=submitted&sort=-created&limit=50&cursor=c1': page([5, 3], null),
    });
    render(<OrderListPage user={USER} params={{}} query={new URLSearchParams('status=submitted')} navigate={vi.fn()} />);
    await screen.findByText('Order 7');
    await userEvent.click(screen.getByRole('button', { name: 'Load more orders' }));
    await screen.findByText('Order 3');
    expect(screen.getAllByRole('link').map((l) => l.textContent)).toEqual(['Order 9', 'Order 7', 'Order 5', 'Order 3']);
    expect(screen.queryByRole('button', { name: 'Load more orders' })).not.toBeInTheDocument();
    expect(urls(api)).toHaveLength(2);
  });
});
