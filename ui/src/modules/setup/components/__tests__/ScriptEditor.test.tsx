import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { ScriptEditor } from '@/modules/setup/components/ScriptEditor';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

describe('ScriptEditor', () => {
  beforeEach(() => signInAs('campaign_manager'));

  it('inserts the picked placeholder at the caret and previews it filled', async () => {
    const api = fakeApi({ 'PUT /campaigns/4/script': { body: '', version: 2 } });
    render(<ScriptEditor campaignId={4} initial="Hi , from Sam" />);
    const text = screen.getByLabelText('Script text') as HTMLTextAreaElement;
    text.setSelectionRange(3, 3);
    fireEvent.change(screen.getByLabelText('Placeholder'), { target: { value: 'contact.first_name' } });
    await userEvent.click(screen.getByRole('button', { name: 'Insert placeholder' }));
    expect(text.value).toBe('Hi {{contact.first_name}}, from Sam');
    expect(screen.getByTestId('script-preview')).toHaveTextContent('Hi Dana, from Sam');

    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Script saved'));
    expect(requestsTo(api, 'PUT', '/campaigns/4/script')).toEqual([{ body: 'Hi {{contact.first_name}}, from Sam' }]);
  });

  it('previews with a real contact and its account when one is chosen', async () => {
    fakeApi({
      'GET /contacts': { items: [{ id: 3, full_name: 'Ava Nguyen', email: 'ava@x.com' }], next_cursor: null },
      'GET /contacts/3': { id: 3, first_name: 'Ava', account_id: 2 },
      'GET /accounts/2': { id: 2, name: 'Globex' },
    });
    render(<ScriptEditor campaignId={4} initial="Hi {{contact.first_name}} at {{account.name}}, {{contact.job_title|friend}}" />);
    expect(screen.getByTestId('script-preview')).toHaveTextContent('Hi Dana at Example Corp, IT Director');
    await screen.findByRole('option', { name: 'Ava Nguyen — ava@x.com' });
    fireEvent.change(screen.getByLabelText('Preview with'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getByTestId('script-preview')).toHaveTextContent('Hi Ava at Globex, friend'));
  });

  it('shows a refused save in words and keeps the text', async () => {
    fakeApi({
      'PUT /campaigns/4/script': () =>
        new Response(JSON.stringify({ status: 422, code: 'validation_error', message: 'The request is not valid.', errors: [{ field: 'body', message: 'Too long.' }] }), { status: 422 }),
    });
    render(<ScriptEditor campaignId={4} initial="Hello" />);
    await userEvent.click(screen.getByRole('button', { name: 'Save script' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Too long.'));
    expect(screen.getByLabelText('Script text')).toHaveValue('Hello');
  });
});
