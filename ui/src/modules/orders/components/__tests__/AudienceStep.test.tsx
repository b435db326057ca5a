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

  it('counts the contacts the fields match as the client types, before using them', async () => {
    const api = fakeApi({
      'POST /client/audience/count': (body: unknown) => {
        const filter = (body as { filter: { conditions: unknown[] } }).filter;
        return filter.conditions.length ? { contact_count: 12, account_count: 3 } : { contact_count: 1500, account_count: 200 };
      },
    });
    render(<AudienceStep order={ORDER} mode="fields" onMode={() => {}} onSaved={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('audience-count')).toHaveTextContent('1,500 contacts at 200 accounts match now.'));
    await userEvent.type(screen.getByLabelText('Job title contains'), 'CTO');
    await waitFor(() => expect(screen.getByTestId('audience-count')).toHaveTextContent('12 contacts at 3 accounts match now.'));
    // debounced: the empty filter, then the finished word (not one request per keystroke)
    expect(requestsTo(api, 'POST', '/client/audience/count')).toEqual([
      { source: 'filter', filter: { op: 'and', conditions: [] } },
      { source: 'filter', filter: { op: 'and', conditions: [{ field: 'contact.job_title', operator: 'contains', value: 'CTO' }] } },
    ]);
    expect(requestsTo(api, 'PUT', '/client/orders/5/audience')).toEqual([]);
  });

  it('counts a segment by its number, and says when it is not the client’s', async () => {
    const missing = () => new Response(JSON.stringify({ status: 404, code: 'not_found', message: 'Segment not found.', errors: [] }), { status: 404 });
    fakeApi({ 'POST /client/audience/count': (body: unknown) => ((body as { segment_id: number }).segment_id === 4 ? { contact_count: 1, account_count: 1 } : missing()) });
    render(<AudienceStep order={ORDER} mode="saved" onMode={() => {}} onSaved={() => {}} />);
    await userEvent.type(screen.getByLabelText('Its number'), '4');
    await waitFor(() => expect(screen.getByTestId('audience-count')).toHaveTextContent('1 contact at 1 account match now.'));
    await userEvent.type(screen.getByLabelText('Its number'), '2');
    await waitFor(() => expect(screen.getByTestId('audience-count')).toHaveTextContent('Segment not found.'));
  });

  it('shows what a chosen domain list matches before it is uploaded', async () => {
    const stats = { unique: 3, matched: 2, match_rate: 0.6667, invalid: 1, unmatched: ['nowhere.org'] };
    const api = fakeApi({ 'POST /client/audience/domains/count': { contact_count: 9, account_count: 2, stats } });
    render(<AudienceStep order={ORDER} mode="upload" onMode={() => {}} onSaved={() => {}} />);
    const file = new File(['domain\none.com\ntwo.com\nnowhere.org\n'], 'targets.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByLabelText(/Domain list/), file);
    await waitFor(() => expect(screen.getByTestId('audience-count')).toHaveTextContent('9 contacts at 2 accounts match now.'));
    expect(screen.getByTestId('match-stats')).toHaveTextContent('3 domains, 2 matched (67%), 1 line was not a domain.');
    expect(screen.getByTestId('match-stats')).toHaveTextContent('Not matched: nowhere.org');
    const sent = api.mock.calls.find(([url]) => String(url).endsWith('/client/audience/domains/count'));
    expect((sent?.[1]?.body as FormData).get('file')).toBe(file);
  });
});
