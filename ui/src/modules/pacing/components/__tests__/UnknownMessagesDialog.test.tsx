import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { UnknownMessagesDialog } from '@/modules/pacing/components/UnknownMessagesDialog';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const UNKNOWN = {
  items: [
    { id: 11, contact_id: 1, email: 'ann@ok.com', step: 1, claimed_at: '2026-03-02T10:00:00Z', error: null },
    { id: 12, contact_id: 2, email: 'bob@ok.com', step: 2, claimed_at: '2026-03-02T10:00:01Z', error: null },
  ],
  next_cursor: null,
};

function refused(status: number, message: string, errors: { field: string; message: string }[] = []) {
  return new Response(JSON.stringify({ status, code: status === 409 ? 'conflict' : 'validation_failed', message, errors }), { status });
}

function open(completed = false) {
  const onClose = vi.fn();
  const onResolved = vi.fn();
  render(<UnknownMessagesDialog campaignId={3} name="Acme Q1 nurture" completed={completed} onClose={onClose} onResolved={onResolved} />);
  return { onClose, onResolved };
}

beforeEach(() => signInAs('campaign_manager', 'Manager'));

describe('UnknownMessagesDialog', () => {
  it('resends the selected messages after a confirmation, and shows a refusal in words first', async () => {
    let refuse = true;
    const spy = fakeApi({
      'GET /email-campaigns/3/unknown': UNKNOWN,
      'POST /email-campaigns/3/unknown/resolve': (body: unknown) =>
        refuse
          ? refused(422, 'Check the fields.', [{ field: 'ids', message: 'Not unknown messages of this campaign: 12.' }])
          : { action: 'resend', resolved: (body as { ids: number[] }).ids },
    });
    const user = userEvent.setup();
    const { onClose, onResolved } = open();
    const dialog = await screen.findByRole('dialog', { name: /Acme Q1 nurture/ });
    const continueButton = within(dialog).getByRole('button', { name: 'Continue' });
    expect(continueButton).toBeDisabled(); // nothing selected yet
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Select bob@ok.com' }));
    expect(within(dialog).getByRole('radio', { name: /Resend/ })).toBeChecked();
    await user.click(continueButton);
    expect(within(dialog).getByTestId('unknown-confirm')).toHaveTextContent('Resend 1 message of Acme Q1 nurture?');
    await user.click(within(dialog).getByRole('button', { name: 'Resend 1 message' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not unknown messages of this campaign: 12.');
    expect(within(dialog).getByRole('checkbox', { name: 'Select bob@ok.com' })).toBeChecked(); // the choice stays
    expect(onResolved).not.toHaveBeenCalled();

    refuse = false;
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await user.click(within(dialog).getByRole('button', { name: 'Resend 1 message' }));
    await waitFor(() => expect(onResolved).toHaveBeenCalledWith(1));
    expect(onClose).toHaveBeenCalled();
    expect(requestsTo(spy, 'POST', '/email-campaigns/3/unknown/resolve').at(-1)).toEqual({ ids: [12], action: 'resend' });
  });

  it('marks every message sent at once', async () => {
    const spy = fakeApi({
      'GET /email-campaigns/3/unknown': UNKNOWN,
      'POST /email-campaigns/3/unknown/resolve': { action: 'mark_sent', resolved: [11, 12] },
    });
    const user = userEvent.setup();
    const { onResolved } = open();
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Select every message' }));
    await user.click(within(dialog).getByRole('radio', { name: /Mark as sent/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByTestId('unknown-confirm')).toHaveTextContent('Mark as sent all 2 messages of Acme Q1 nurture? They will never be sent again.');
    await user.click(within(dialog).getByRole('button', { name: 'Mark as sent 2 messages' }));
    await waitFor(() => expect(onResolved).toHaveBeenCalledWith(2));
    expect(requestsTo(spy, 'POST', '/email-campaigns/3/unknown/resolve')).toEqual([{ all: true, action: 'mark_sent' }]);
  });

  it('offers only marking sent on a completed campaign, and says when nothing waits any more', async () => {
    fakeApi({ 'GET /email-campaigns/3/unknown': UNKNOWN });
    open(true);
    const dialog = await screen.findByRole('dialog');
    const resend = await within(dialog).findByRole('radio', { name: /Resend/ });
    expect(resend).toBeDisabled();
    expect(dialog).toHaveTextContent('Not possible: the campaign is completed and sends nothing more.');
    expect(within(dialog).getByRole('radio', { name: /Mark as sent/ })).toBeChecked();
  });

  it('says so when no message waits for a decision', async () => {
    fakeApi({ 'GET /email-campaigns/3/unknown': { items: [], next_cursor: null } });
    open();
    expect(await screen.findByText('No message is waiting for a decision any more.')).toBeInTheDocument();
  });
});
