import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { WebhooksPage } from '@/modules/admin/components/WebhooksPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ME = { id: 7, email: 'admin@demo.pivotal.dev', full_name: 'Admin', role: 'admin' as const, client_id: null };
const CLIENTS = [
  { id: 4, name: 'Acme', created_at: '2026-01-01T00:00:00Z', is_active: true },
  { id: 5, name: 'Globex', created_at: '2026-01-01T00:00:00Z', is_active: false },
];

describe('WebhooksPage', () => {
  beforeEach(() => signInAs('admin'));

  it("subscribes for one client picked by name (inactive ones marked), or for every client", async () => {
    const api = fakeApi({
      'GET /webhook-subscriptions': { items: [], next_cursor: null },
      'GET /clients': { items: CLIENTS, next_cursor: null },
      'POST /webhook-subscriptions': (body: unknown) => ({ id: 1, active: true, secret: 's3cret', ...(body as object) }),
    });
    render(<WebhooksPage user={ME} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    const picker = screen.getByLabelText('Client organisation');
    expect(await screen.findByRole('option', { name: 'Globex (inactive)' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Receiver URL'), 'https://crm.example/hook');
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    await userEvent.selectOptions(picker, 'Acme');
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    await screen.findByText('s3cret');
    expect(requestsTo(api, 'POST', '/webhook-subscriptions').map((b) => b.client_id)).toEqual([null, 4]);
    expect(screen.getByRole('option', { name: 'Every client' })).toBeInTheDocument();
  });

  it("names each subscription's client in the table", async () => {
    const items = [
      { id: 1, url: 'https://a.example/hook', events: ['order.submitted'], client_id: 4, active: true },
      { id: 2, url: 'https://b.example/hook', events: ['order.submitted'], client_id: null, active: true },
    ];
    fakeApi({ 'GET /webhook-subscriptions': { items, next_cursor: null }, 'GET /clients': { items: CLIENTS, next_cursor: null } });
    render(<WebhooksPage user={ME} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    const row = (await screen.findByText('https://a.example/hook')).closest('tr');
    await waitFor(() => expect(row).toHaveTextContent('Acme'));
    expect(screen.getByText('https://b.example/hook').closest('tr')).toHaveTextContent('Every client');
  });
});
