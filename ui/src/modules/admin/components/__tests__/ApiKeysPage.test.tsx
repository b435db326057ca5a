import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { ApiKeysPage } from '@/modules/admin/components/ApiKeysPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const KEY = { id: 3, name: 'CRM', prefix: 'pvk_abcdefgh', role: 'agent', client_id: null, created_at: '2026-01-01T00:00:00Z', revoked_at: null };

describe('ApiKeysPage', () => {
  beforeEach(() => signInAs('admin'));

  it('shows a new secret once and revokes a key after confirmation', async () => {
    const keys = { items: [] as (typeof KEY)[], next_cursor: null };
    const api = fakeApi({
      'GET /api-keys': () => keys,
      'POST /api-keys': () => {
        keys.items = [KEY];
        return { ...KEY, secret: 'pvk_abcdefgh-the-whole-secret' };
      },
      'DELETE /api-keys/3': () => {
        keys.items = [{ ...KEY, revoked_at: '2026-01-02T00:00:00Z' } as never];
        return new Response(null, { status: 204 });
      },
    });
    render(<ApiKeysPage />);
    await userEvent.type(screen.getByLabelText('Key name'), 'CRM');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByTestId('api-key-secret')).toHaveTextContent('pvk_abcdefgh-the-whole-secret');
    expect(requestsTo(api, 'POST', '/api-keys')).toEqual([{ name: 'CRM', role: 'agent', client_id: null }]);
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByText(/the-whole-secret/)).not.toBeInTheDocument();

    const row = await screen.findByTestId('api-key-3');
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(within(screen.getByTestId('api-key-3')).getByText(/^revoked/)).toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Key CRM revoked.');
  });
});
