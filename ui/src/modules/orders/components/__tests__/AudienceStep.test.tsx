import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AudienceStep } from '@/modules/orders/components/AudienceStep';
import type { Order } from '@/modules/orders/types/Order';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const ORDER = {
  id: 5, client_id: 1, client_name: 'Acme', title: 'Q3 leads', kind: 'telemarketing', status: 'draft', audience: {}, lead_goal: null, pacing: {},
  compliance_confirmed: false, compliance_confirmed_at: null, question_version: null, notes: null, submitted_at: null, created_at: '',
} as Order;

const SNAPSHOT = { source: 'filter', definition: {}, contact_count: 42, account_count: 7, snapshot_at: '2026-11-29T06:00:00Z' };

beforeEach(() => signInAs('client_user'));

describe('AudienceStep', () => {
  it('snapshots "all contacts matching these fields" and shows the frozen counts', async () => {
    const api = fakeApi({ 'PUT /client/orders/5/audience': SNAPSHOT });
    const onSaved = vi.fn();
    render(<AudienceStep order={ORDER} mode="fields" onMode={() => {}} onSaved={onSaved} />);
    expect(screen.getByText('No audience chosen yet.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Job title contains'), 'CTO');
    await userEvent.click(screen.getByRole('button', { name: 'Use these contacts' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(screen.getByTestId('audience-summary')).toHaveTextContent('42 contacts at 7 accounts');
    expect(requestsTo(api, 'PUT', '/client/orders/5/audience')).toEqual([
      { source: 'filter', filter: { op: 'and', conditions: [{ field: 'contact.job_title', operator: 'contains', value: 'CTO' }] } },
    ]);
  });

  it('uses a shared segment by its number and says so when it does not exist', async () => {
    const missing = new Response(JSON.stringify({ status: 404, code: 'not_found', message: 'Segment not found.', errors: [] }), { status: 404 });
    const api = fakeApi({ 'PUT /client/orders/5/audience': () => missing });
    const onMode = vi.fn();
    render(<AudienceStep order={ORDER} mode="saved" onMode={onMode} onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Its number'), '12x');
    await userEvent.click(screen.getByRole('button', { name: 'Use it' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Segment not found.');
    expect(requestsTo(api, 'PUT', '/client/orders/5/audience')).toEqual([{ source: 'segment', segment_id: 12 }]);
    await userEvent.click(screen.getByRole('radio', { name: 'Upload a domain list' }));
    expect(onMode).toHaveBeenCalledWith('upload');
  });
});
