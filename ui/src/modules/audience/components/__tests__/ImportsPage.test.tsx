import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';

import { ImportsPage } from '@/modules/audience/components/ImportsPage';
import type { ImportJob, ImportPreview } from '@/modules/audience/types/Import';
import type { User } from '@/modules/auth/types/Session';
import { fakeApi, FakeSocket, installFakeSocket, requestsTo, signInAs } from '@/testing/fakeBackend';

const user: User = { id: 7, email: 'dataops@demo.pivotal.dev', full_name: 'Dataops', role: 'data_ops', client_id: null };

const preview: ImportPreview = {
  id: 9,
  filename: 'leads.csv',
  format: 'csv',
  encoding: 'cp1252',
  delimiter: ';',
  rows_total: 100,
  headers: ['E-mail', 'Work Phone', 'Notes'],
  suggested_mapping: { 'E-mail': 'email', 'Work Phone': 'direct_phone', Notes: null },
  targets: ['email', 'direct_phone', 'first_name', 'custom.seats'],
  rows: [
    { row: 2, cells: ['a@x.com', '+12125550100', ''], valid: true, field: null, reason: null },
    { row: 3, cells: ['bad', '12', ''], valid: false, field: 'email', reason: 'Not an email address.' },
  ],
};

const job = (patch: Partial<ImportJob>): ImportJob => ({
  id: 9,
  entity: 'contact',
  filename: 'leads.csv',
  status: 'running',
  rows_total: 100,
  rows_done: 0,
  rows_failed: 0,
  rows_per_s: null,
  created: 0,
  updated: 0,
  skipped: 0,
  failure: null,
  mapping: {},
  created_at: '2026-01-01T00:00:00Z',
  finished_at: null,
  ...patch,
});

/** The multipart body of the upload. */
const uploadForm = (spy: ReturnType<typeof fakeApi>) =>
  spy.mock.calls.find(([url, init]) => String(url).endsWith('/imports') && init?.method === 'POST')?.[1]?.body as FormData;

function Harness() {
  const [route, setRoute] = useState('');
  return <ImportsPage user={user} params={{}} query={new URLSearchParams(route.split('?')[1] ?? '')} navigate={setRoute} />;
}

describe('ImportsPage', () => {
  beforeEach(() => {
    signInAs('data_ops', 'Dataops');
    installFakeSocket();
  });

  it('uploads, maps with the suggestions, runs and follows the progress live', async () => {
    let current = job({});
    const spy = fakeApi({
      'GET /imports': { items: [], next_cursor: null },
      'POST /imports': preview,
      'POST /imports/9/run': () => current,
      'GET /imports/9': () => current,
    });
    const u = userEvent.setup();
    render(<Harness />);
    await u.upload(screen.getByLabelText('File (CSV or XLSX)'), new File(['E-mail\na@x.com\n'], 'leads.csv', { type: 'text/csv' }));
    expect(screen.getByTestId('file-size')).toHaveTextContent('leads.csv · 15 B');
    await u.click(screen.getByLabelText('Accounts'));
    await u.click(screen.getByLabelText('Contacts'));
    await u.click(screen.getByRole('button', { name: 'Upload and preview' }));
    const form = uploadForm(spy);
    expect(form.get('entity')).toBe('contact');
    expect(form.get('phone_policy')).toBe('reject');
    expect(form.get('mx_lookup')).toBeNull();

    expect(await screen.findByLabelText('Field for column E-mail')).toHaveValue('email');
    expect(screen.getByLabelText('Field for column Notes')).toHaveValue('');
    const rows = within(screen.getByRole('region', { name: 'Preview rows' }));
    expect(rows.getByText('email: Not an email address.')).toBeInTheDocument();
    expect(screen.getByText(/1 would be rejected/)).toBeInTheDocument();

    const run = screen.getByRole('button', { name: 'Run the import of 100 rows' });
    await u.selectOptions(screen.getByLabelText('Field for column Notes'), 'email');
    expect(screen.getByText('email is already mapped from “E-mail”.')).toBeInTheDocument();
    expect(run).toBeDisabled();
    await u.selectOptions(screen.getByLabelText('Field for column Notes'), 'first_name');
    await u.click(run);
    expect(requestsTo(spy, 'POST', '/imports/9/run')).toEqual([{ mapping: { 'E-mail': 'email', 'Work Phone': 'direct_phone', Notes: 'first_name' } }]);

    expect(await screen.findByText('Running')).toBeInTheDocument();
    const progress = { type: 'import.progress', import_id: 9, status: 'running', rows_total: 100, rows_done: 40, rows_failed: 2 };
    act(() => FakeSocket.last?.push([progress, { ...progress, import_id: 8, rows_done: 99 }]));
    expect(await screen.findByText('40 of 100 (40 %)')).toBeInTheDocument();
    expect(screen.getByLabelText('Import progress')).toHaveAttribute('value', '40');
    expect(screen.getByRole('button', { name: 'Download the error file (2 rows)' })).toBeEnabled();

    current = job({ status: 'finished', rows_done: 100, rows_failed: 3, rows_per_s: 250, created: 90, updated: 0, skipped: 7 });
    act(() => FakeSocket.last?.push([{ ...progress, status: 'finished', rows_done: 100, rows_failed: 3 }]));
    expect(await screen.findByText('Done')).toBeInTheDocument();
    expect(await screen.findByText('90 / 0 / 7')).toBeInTheDocument();
    expect(screen.getByText('250')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume an interrupted import' })).not.toBeInTheDocument();
  });

  it('keeps the mapping and shows the refusal when the run is refused', async () => {
    const spy = fakeApi({
      'GET /imports': { items: [], next_cursor: null },
      'POST /imports': preview,
      'POST /imports/9/run': new Response(
        JSON.stringify({ status: 422, code: 'validation_error', message: 'The column mapping is not valid.', errors: [{ field: 'mapping.Notes', message: 'No such column in the file.' }] }),
        { status: 422 },
      ),
    });
    const u = userEvent.setup();
    render(<Harness />);
    await u.upload(screen.getByLabelText('File (CSV or XLSX)'), new File(['x'], 'leads.csv'));
    await u.selectOptions(screen.getByLabelText(/DNS MX lookup/), 'false');
    await u.click(screen.getByRole('button', { name: 'Upload and preview' }));
    await u.selectOptions(await screen.findByLabelText('Field for column Notes'), 'first_name');
    expect(uploadForm(spy).get('mx_lookup')).toBe('false');
    await u.click(screen.getByRole('button', { name: 'Run the import of 100 rows' }));
    expect(await screen.findByText('The column mapping is not valid.')).toBeInTheDocument();
    expect(screen.getByText(/No such column in the file/)).toBeInTheDocument();
    expect(screen.getByLabelText('Field for column Notes')).toHaveValue('first_name');
  });

  it('resumes an interrupted import and says why a live one is not', async () => {
    const spy = fakeApi({
      'GET /imports': { items: [job({ rows_done: 50 })], next_cursor: null },
      'GET /imports/9': job({ rows_done: 50 }),
      'POST /imports/9/resume': new Response(
        JSON.stringify({ status: 409, code: 'conflict', message: 'The import is still running (its heartbeat is fresh).', errors: [] }),
        { status: 409 },
      ),
    });
    const u = userEvent.setup();
    render(<Harness />);
    await u.click(await screen.findByRole('button', { name: /#9 leads.csv/ }));
    await u.click(await screen.findByRole('button', { name: 'Resume an interrupted import' }));
    expect(await screen.findByText('The import is still running (its heartbeat is fresh).')).toBeInTheDocument();
    expect(requestsTo(spy, 'POST', '/imports/9/resume')).toHaveLength(1);
  });
});
