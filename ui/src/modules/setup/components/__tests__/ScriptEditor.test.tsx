import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { ScriptEditor } from '@/modules/setup/components/ScriptEditor';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

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
    const [, init] = api.mock.calls.at(-1) ?? [];
    expect(JSON.parse(String(init?.body))).toEqual({ body: 'Hi {{contact.first_name}}, from Sam' });
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
