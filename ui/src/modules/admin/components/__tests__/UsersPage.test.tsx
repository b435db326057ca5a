import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { UsersPage } from '@/modules/admin/components/UsersPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ME = { id: 7, email: 'admin@demo.pivotal.dev', full_name: 'Admin', role: 'admin' as const, client_id: null };
const REFUSED = {
  status: 422,
  code: 'validation_error',
  message: 'The request is not valid.',
  errors: [
    { field: 'client_id', message: 'No such client.' },
    { field: 'password', message: 'String should have at least 10 characters' },
  ],
};

describe('UsersPage', () => {
  beforeEach(() => signInAs('admin'));

  it('creates a client user for a picked organisation, keeping every field when the API refuses', async () => {
    let answer: Response | object = new Response(JSON.stringify(REFUSED), { status: 422 });
    const api = fakeApi({
      'GET /users': { items: [], next_cursor: null },
      'GET /clients': { items: [{ id: 4, name: 'Acme', created_at: '2026-01-01T00:00:00Z' }], next_cursor: null },
      'POST /users': () => answer,
    });
    render(<UsersPage user={ME} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    await userEvent.type(screen.getByLabelText('Email'), 'buyer@acme.com');
    await userEvent.type(screen.getByLabelText('Full name'), 'Bea Buyer');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'client_user');
    await userEvent.selectOptions(screen.getByLabelText('Client organisation'), await screen.findByRole('option', { name: 'Acme' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));

    expect(await screen.findByText('No such client.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('String should have at least 10 characters');
    expect(screen.getByRole('alert')).toHaveTextContent('The request is not valid.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('client_id'); // shown at its field, not twice
    expect(screen.getByLabelText('Email')).toHaveValue('buyer@acme.com');
    expect(screen.getByLabelText('Full name')).toHaveValue('Bea Buyer');
    expect(screen.getByLabelText('Password')).toHaveValue('short');
    expect(screen.getByLabelText('Role')).toHaveValue('client_user');
    expect(screen.getByLabelText('Client organisation')).toHaveValue('4');

    answer = { ...ME, id: 9, email: 'buyer@acme.com', role: 'client_user', client_id: 4 };
    await userEvent.type(screen.getByLabelText('Password'), '-and-long-enough');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('User buyer@acme.com created.')).toBeInTheDocument();
    expect(requestsTo(api, 'POST', '/users').at(-1)).toEqual({
      email: 'buyer@acme.com',
      full_name: 'Bea Buyer',
      password: 'short-and-long-enough',
      role: 'client_user',
      client_id: 4,
    });
    expect(screen.getByLabelText('Email')).toHaveValue('');
    expect(screen.queryByLabelText('Client organisation')).not.toBeInTheDocument();
  });

  it("shows each user's client organisation by name", async () => {
    const buyer = { ...ME, id: 9, email: 'buyer@acme.com', role: 'client_user', client_id: 4, is_active: true, created_at: '2026-01-01T00:00:00Z' };
    fakeApi({
      'GET /users': { items: [buyer, { ...buyer, id: 10, email: 'ann@pivotal.dev', role: 'agent', client_id: null }], next_cursor: null },
      'GET /clients': { items: [{ id: 4, name: 'Acme', created_at: '2026-01-01T00:00:00Z' }], next_cursor: null },
    });
    render(<UsersPage user={ME} params={{}} query={new URLSearchParams()} navigate={vi.fn()} />);
    expect(await within(await screen.findByTestId('user-9')).findByRole('cell', { name: 'Acme' })).toBeInTheDocument();
    expect(within(screen.getByTestId('user-10')).getByRole('cell', { name: '—' })).toBeInTheDocument();
  });
});
