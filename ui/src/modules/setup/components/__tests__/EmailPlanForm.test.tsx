import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { EmailPlanForm } from '@/modules/setup/components/EmailPlanForm';
import type { Campaign } from '@/modules/setup/types/Campaign';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const CAMPAIGN: Campaign = {
  id: 9, kind: 'email', name: 'Spring', status: 'draft', client_id: null, audience: {},
  settings: { email: { frequency_cap: { max: 2, days: 7 } } }, created_at: '2026-01-01T00:00:00Z',
};
const TEMPLATES = [
  { id: 1, name: 'Intro A', subject: 's', html: 'h', text: 't', campaign_id: 9 },
  { id: 2, name: 'Intro B', subject: 's', html: 'h', text: 't', campaign_id: 9 },
];

describe('EmailPlanForm', () => {
  beforeEach(() => signInAs('campaign_manager'));

  it('builds an A/B step, flags shares not adding to 100, and saves the plan with a new sender', async () => {
    const senders = { items: [] as unknown[], next_cursor: null };
    const api = fakeApi({
      'GET /sender-profiles': () => senders,
      'POST /sender-profiles': (body: unknown) => {
        const made = { id: 5, ...(body as object) };
        senders.items.push(made);
        return made;
      },
      'PATCH /campaigns/9': CAMPAIGN,
    });
    const saved = vi.fn();
    render(<EmailPlanForm campaign={CAMPAIGN} templates={TEMPLATES} onSaved={saved} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add step' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add variant' }));
    expect(screen.getByLabelText('Variant A share (%)')).toHaveValue('50');
    fireEvent.change(screen.getByLabelText('Step 1 variant B template'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Variant B share (%)'), { target: { value: '60' } });
    expect(screen.getByText('The shares add up to 110%, not 100%.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Variant A share (%)'), { target: { value: '40' } });
    expect(screen.queryByText(/The shares add up/)).not.toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Profile name'), 'Main');
    await userEvent.type(screen.getByLabelText('From name'), 'Acme');
    await userEvent.type(screen.getByLabelText('From email'), 'news@acme.com');
    await userEvent.type(screen.getByLabelText('Postal address (in every footer)'), '1 Main St, Springfield');
    await userEvent.click(screen.getByRole('button', { name: 'Create sender profile' }));
    await waitFor(() => expect(screen.getByLabelText('Sender profile')).toHaveValue('5'));

    await userEvent.click(screen.getByRole('button', { name: 'Save plan' }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    const [body] = requestsTo(api, 'PATCH', '/campaigns/9');
    expect(body.settings.email).toEqual({
      frequency_cap: { max: 2, days: 7 },
      rate_per_minute: 600,
      sender_profile_id: 5,
      steps: [{ delay_days: 0, variants: [{ template_id: 1, weight: 40 }, { template_id: 2, weight: 60 }] }],
    });
  });
});
