import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import { type RoleAccess, RoleFields } from '@/modules/admin/components/RoleFields';
import { ApiError } from '@/modules/api/utils/ApiError';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ACME = { id: 4, name: 'Acme', created_at: '2026-01-01T00:00:00Z' };
const GLOBEX = { id: 2, name: 'Globex', created_at: '2026-01-01T00:00:00Z' };

/** The fields in a form that keeps their value, and shows it for the test to read. */
function Form({ error = null }: { error?: ApiError | null }) {
  const [access, setAccess] = useState<RoleAccess>({ role: 'agent', client_id: null });
  return (
    <>
      <RoleFields value={access} onChange={setAccess} error={error} />
      <output data-testid="value">{JSON.stringify(access)}</output>
    </>
  );
}

const value = () => JSON.parse(screen.getByTestId('value').textContent ?? '') as RoleAccess;

describe('RoleFields', () => {
  beforeEach(() => signInAs('admin'));

  it('offers the client organisations, every page of them, only for the client role', async () => {
    const api = fakeApi({
      'GET /clients?limit=500': { items: [ACME], next_cursor: 'c1' },
      'GET /clients?limit=500&cursor=c1': { items: [GLOBEX], next_cursor: null },
    });
    render(<Form />);
    expect(screen.queryByLabelText('Client organisation')).not.toBeInTheDocument();
    expect(requestsTo(api, 'GET', '/clients')).toEqual([]); // loaded only when needed

    await userEvent.selectOptions(screen.getByLabelText('Role'), 'client_user');
    const picker = screen.getByLabelText('Client organisation');
    await within(picker).findByRole('option', { name: 'Globex' });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a client…', 'Acme', 'Globex']);
    await userEvent.selectOptions(picker, 'Globex');
    expect(value()).toEqual({ role: 'client_user', client_id: 2 });

    // Another role has no client (the API refuses one): the picker goes, and so does the choice.
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'data_ops');
    expect(screen.queryByLabelText('Client organisation')).not.toBeInTheDocument();
    expect(value()).toEqual({ role: 'data_ops', client_id: null });
  });

  it("shows the API's role and client errors at their fields", async () => {
    fakeApi({ 'GET /clients': { items: [ACME], next_cursor: null } });
    const error = new ApiError({
      status: 422,
      code: 'validation_error',
      message: 'The request is not valid.',
      errors: [
        { field: 'client_id', message: 'Client users, and only they, belong to a client.' },
        { field: 'body.role', message: 'Input should be admin, agent…' },
      ],
    });
    const { rerender } = render(<Form />);
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'client_user');
    rerender(<Form error={error} />);
    expect(screen.getByLabelText('Role')).toHaveAccessibleDescription('Input should be admin, agent…');
    const picker = screen.getByLabelText('Client organisation');
    expect(picker).toHaveAttribute('aria-invalid', 'true');
    expect(picker).toHaveAccessibleDescription('Client users, and only they, belong to a client.');
  });

  it('says when there is no client, or when the list cannot be loaded', async () => {
    fakeApi({ 'GET /clients': { items: [], next_cursor: null } });
    const { unmount } = render(<Form />);
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'client_user');
    expect(await screen.findByText('No client organisation exists yet.')).toBeInTheDocument();
    expect(screen.getByLabelText('Client organisation')).toBeDisabled();
    unmount();

    fakeApi({ 'GET /clients': new Response(JSON.stringify({ status: 403, code: 'forbidden', message: 'Your role may not read clients.', errors: [] }), { status: 403 }) });
    render(<Form />);
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'client_user');
    expect(await screen.findByText('The clients could not be loaded: Your role may not read clients.')).toBeInTheDocument();
  });
});
