import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { SuppressionUpload } from '@/modules/admin/components/SuppressionUpload';
import { signInAs } from '@/testing/fakeBackend';

/** The upload endpoint answering `status` with `body` (fakeApi reads JSON bodies only). */
function uploadAnswers(status: number, body: unknown) {
  const spy = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', spy);
  return spy;
}

const file = () => new File(['kind,value\nemail,not-an-address\n'], 'list.csv', { type: 'text/csv' });

describe('SuppressionUpload', () => {
  beforeEach(() => signInAs('admin'));

  it('lists every row error of a refused file by line and column', async () => {
    const api = uploadAnswers(422, {
      status: 422, code: 'validation_error', message: '1 of 1 rows have errors; nothing was imported.',
      errors: [{ field: 'rows.2.value', message: 'The email address is not valid.' }],
    });
    const imported = vi.fn();
    render(<SuppressionUpload onImported={imported} />);
    await userEvent.upload(screen.getByLabelText('CSV file'), file());
    await userEvent.click(screen.getByRole('button', { name: 'Upload CSV' }));
    const table = await screen.findByTestId('upload-errors');
    expect(table).toHaveTextContent('2value');
    expect(table).toHaveTextContent('The email address is not valid.');
    expect(screen.getByRole('alert')).toHaveTextContent('nothing was imported');
    expect(imported).not.toHaveBeenCalled();
    const [url, init] = api.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/suppressions/bulk');
    expect(init.body).toBeInstanceOf(FormData);
  });

  it('says how many rows were added', async () => {
    uploadAnswers(200, { rows: 3, created: 2, already_present: 1 });
    const imported = vi.fn();
    render(<SuppressionUpload onImported={imported} />);
    await userEvent.upload(screen.getByLabelText('CSV file'), file());
    await userEvent.click(screen.getByRole('button', { name: 'Upload CSV' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('3 rows read: 2 added, 1 already suppressed.'));
    expect(imported).toHaveBeenCalledOnce();
  });
});
