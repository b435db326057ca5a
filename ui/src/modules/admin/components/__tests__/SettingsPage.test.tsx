import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { SettingsPage } from '@/modules/admin/components/SettingsPage';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

describe('SettingsPage', () => {
  it('lists the running settings, secrets only as set, and filters them', async () => {
    signInAs('admin');
    fakeApi({
      'GET /admin/settings': [
        { name: 'PIVOTAL_CARRIER', value: 'simulated', secret: false },
        { name: 'PIVOTAL_SECRET_KEY', value: 'set', secret: true },
        { name: 'PIVOTAL_ICE_SERVERS', value: [{ urls: 'turn:t', credential: 'set' }], secret: false },
      ],
    });
    render(<SettingsPage />);
    expect(await screen.findByText('simulated')).toBeInTheDocument();
    expect(screen.getByText('[{"urls":"turn:t","credential":"set"}]')).toBeInTheDocument();
    await userEvent.setup().type(screen.getByLabelText('Filter'), 'secret');
    expect(screen.queryByText('simulated')).not.toBeInTheDocument();
    expect(screen.getByText('PIVOTAL_SECRET_KEY')).toBeInTheDocument();
  });
});
