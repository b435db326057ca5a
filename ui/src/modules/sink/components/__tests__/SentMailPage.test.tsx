import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { fakeApi, signInAs } from '@/testing/fakeBackend';
import { SentMailPage } from '@/modules/sink/components/SentMailPage';

const MAIL = {
  id: '1764400000.M1P2Q1.host',
  received_at: '2026-11-29T08:00:00Z',
  from: 'Acme Demo Corp <news@acme-demo.com>',
  to: ['ann@example.com'],
  subject: 'Ann, a quick idea',
  message_id: '<pv.4.abcdefghijkl@acme-demo.com>',
  email_message_id: 4,
  campaign_id: 2,
  contact_id: 9,
};
const USER = { id: 7, email: 'm@demo.pivotal.dev', full_name: 'M', role: 'campaign_manager' as const, client_id: null };

function page(query: string, navigate = vi.fn()) {
  render(<SentMailPage user={USER} params={{}} query={new URLSearchParams(query)} navigate={navigate} />);
  return navigate;
}

describe('SentMailPage', () => {
  beforeEach(() => signInAs('campaign_manager'));

  it('lists received mail, filters through the URL and opens one mail', async () => {
    fakeApi({
      'GET /email/sink/messages?to=ann%40example.com': { items: [MAIL], next_cursor: null },
      [`GET /email/sink/messages/${MAIL.id}`]: {
        ...MAIL,
        headers: [
          ['Subject', MAIL.subject],
          ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
        ],
        text: 'Hi Ann\n--\nAcme Demo Corp, 1 Demo Plaza',
        html: '<p>Hi Ann</p>',
        raw: 'Subject: Ann, a quick idea\r\n\r\n…',
      },
    });
    const navigate = page(`to=ann%40example.com&mail=${MAIL.id}`);
    const row = within(await screen.findByTestId('sent-mail')).getByRole('row', { name: /ann@example.com/ });
    expect(row).toHaveTextContent('#2 · contact 9');
    expect(await screen.findByTestId('mail-text')).toHaveTextContent('1 Demo Plaza');
    expect(within(screen.getByTestId('mail-headers')).getByText('List-Unsubscribe=One-Click')).toBeInTheDocument();
    expect(screen.getByTitle('HTML part')).toHaveAttribute('sandbox', '');

    await userEvent.clear(screen.getByLabelText('Recipient'));
    await userEvent.type(screen.getByLabelText('Campaign id'), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(navigate).toHaveBeenLastCalledWith('/sent-mail?campaign_id=2');
  });

  it('says so when the sink is off', async () => {
    fakeApi({
      'GET /email/sink/messages': new Response(JSON.stringify({ status: 404, code: 'not_found', message: 'SMTP sink not found.', errors: [] }), { status: 404 }),
    });
    page('');
    expect(await screen.findByRole('alert')).toHaveTextContent('SMTP sink not found.');
  });
});
