import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ClientsPage } from '@/modules/admin/components/ClientsPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ME = { id: 7, email: 'admin@demo.pivotal.dev', full_name: 'Admin', role: 'admin' as const, client_id: null };
const ACME = { id: 4, name: 'Acme', created_at: '2026-01-01T00:00:00Z', is_active: true, contact_email: null, user_count: 3, order_count: 2, campaign_count: 1 };
const TAKEN = { status: 409, code: 'conflict', message: 'A client with this name already exists.', errors: [{ field: 'name', message: 'A client with this name already exists.' }] };

const page = (query = '', navigate = vi.fn()) => render(<ClientsPage user={ME} params={{}} query={new URLSearchParams(query)} navigate={navigate} />);

describe('ClientsPage', () => {
  beforeEach(() => signInAs('admin'));

  it('lists the organisations with their state and counts', async () => {
    fakeApi({ 'GET /clients': { items: [ACME, { ...ACME, id: 5, name: 'Globex', is_active: false, user_count: 0 }], next_cursor: null } });
    page();
    const acme = await screen.findByTestId('client-4');
    expect(within(acme).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Acme', '—', 'active', '3', '2', '1', 'EditDeactivate']);
    const globex = screen.getByTestId('client-5');
    expect(within(globex).getByText('inactive')).toBeInTheDocument();
    expect(within(globex).getByRole('button', { name: 'Reactivate Globex' })).toBeInTheDocument();
  });

  it('says so when none exists, and searches by name through the URL', async () => {
    const navigate = vi.fn();
    const api = fakeApi({ 'GET /clients': { items: [], next_cursor: null } });
    page('q=ac', navigate);
    expect(await screen.findByText('No client organisation matches.')).toBeInTheDocument();
    expect(String(api.mock.calls[0][0])).toContain('/clients?limit=50&q=ac');
    const search = screen.getByLabelText('Search by name');
    await userEvent.clear(search);
    await userEvent.type(search, 'glo{Enter}');
    expect(navigate).toHaveBeenCalledWith('/admin/clients?q=glo');
  });

  it('adds a client, keeping what was typed when the name is taken', async () => {
    let answer: Response | object = new Response(JSON.stringify(TAKEN), { status: 409 });
    const api = fakeApi({ 'GET /clients': { items: [], next_cursor: null }, 'POST /clients': () => answer });
    page();
    await userEvent.type(screen.getByLabelText('Organisation name'), 'ACME');
    await userEvent.type(screen.getByLabelText('Contact email (optional)'), 'ops@acme.example');
    await userEvent.click(screen.getByRole('button', { name: 'Add client' }));
    expect(await screen.findByLabelText('Organisation name')).toHaveAccessibleDescription('A client with this name already exists.');
    expect(screen.getByRole('alert')).toHaveTextContent('A client with this name already exists.');
    expect(screen.getByLabelText('Contact email (optional)')).toHaveValue('ops@acme.example');

    answer = { ...ACME, id: 9, name: 'Acme Two' };
    await userEvent.clear(screen.getByLabelText('Organisation name'));
    await userEvent.type(screen.getByLabelText('Organisation name'), 'Acme Two');
    await userEvent.clear(screen.getByLabelText('Contact email (optional)'));
    await userEvent.click(screen.getByRole('button', { name: 'Add client' }));
    expect(await screen.findByText('Acme Two added.')).toBeInTheDocument();
    expect(requestsTo(api, 'POST', '/clients')).toEqual([
      { name: 'ACME', contact_email: 'ops@acme.example' },
      { name: 'Acme Two', contact_email: null },
    ]);
    expect(screen.getByLabelText('Organisation name')).toHaveValue('');
  });

  it('deactivates only after confirming', async () => {
    const api = fakeApi({ 'GET /clients': { items: [ACME], next_cursor: null }, 'PATCH /clients/4': { ...ACME, is_active: false } });
    page();
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate Acme' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate client organisation' });
    expect(dialog).toHaveTextContent('3 users of Acme will not be able to sign in');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(requestsTo(api, 'PATCH', '/clients/4')).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Deactivate Acme' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Deactivate' }));
    expect(await screen.findByText('Acme is deactivated.')).toBeInTheDocument();
    expect(requestsTo(api, 'PATCH', '/clients/4')).toEqual([{ is_active: false }]);
  });

  it('edits the client chosen in the URL, and closes through the URL', async () => {
    const navigate = vi.fn();
    const api = fakeApi({
      'GET /clients': { items: [ACME], next_cursor: null },
      'GET /clients/4': { ...ACME, contact_email: 'ops@acme.example' },
      'PATCH /clients/4': { ...ACME, name: 'Acme Corp' },
    });
    page('client=4', navigate);
    const editor = await screen.findByRole('region', { name: 'Edit Acme' });
    const name = within(editor).getByLabelText('Organisation name');
    expect(within(editor).getByLabelText('Contact email (optional)')).toHaveValue('ops@acme.example');
    await userEvent.clear(name);
    await userEvent.type(name, 'Acme Corp');
    await userEvent.click(within(editor).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Acme Corp saved.')).toBeInTheDocument();
    expect(requestsTo(api, 'PATCH', '/clients/4')).toEqual([{ name: 'Acme Corp', contact_email: 'ops@acme.example' }]);
    await userEvent.click(within(editor).getByRole('button', { name: 'Close' }));
    expect(navigate).toHaveBeenCalledWith('/admin/clients');
  });
});
