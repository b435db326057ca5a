import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { OrderWizardPage } from '@/modules/orders/components/OrderWizardPage';
import type { Order } from '@/modules/orders/types/Order';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const USER = { id: 9, email: 'buyer@acme-demo.com', full_name: 'Buyer', role: 'client_user' as const, client_id: 1 };

const ORDER: Order = {
  id: 5, client_id: 1, client_name: 'Acme', title: 'Q3 leads', kind: 'telemarketing', status: 'draft', audience: {}, lead_goal: null,
  pacing: {}, compliance_confirmed: false, compliance_confirmed_at: null, question_version: null, notes: null,
  submitted_at: null, created_at: '2026-11-01T00:00:00Z',
};

const MISSING = [
  { field: 'audience', message: 'Choose an audience (filter, segment, list, domain set).' },
  { field: 'pacing', message: 'Set the start and end dates.' },
];

function open(step: string | null, id: string | null = '5') {
  const navigate = vi.fn();
  const query = new URLSearchParams(step ? { step } : {});
  render(<OrderWizardPage user={USER} params={id ? { id } : {}} query={query} navigate={navigate} />);
  return navigate;
}

beforeEach(() => signInAs('client_user'));

describe('OrderWizardPage', () => {
  it('creates the draft from the basics and moves on to the audience', async () => {
    const api = fakeApi({ 'POST /client/orders': () => ({ ...ORDER, id: 12 }) });
    const navigate = open(null, null);
    expect(screen.getByTestId('step-audience')).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Order title'), 'Q3 leads');
    await userEvent.click(screen.getByRole('radio', { name: /Email and telemarketing/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Create draft and continue' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/orders/12/edit?step=audience'));
    expect(requestsTo(api, 'POST', '/client/orders')).toEqual([{ title: 'Q3 leads', kind: 'combo', notes: null }]);
  });

  it('marks the steps still to do and sends the review’s gaps to their steps', async () => {
    fakeApi({ 'GET /client/orders/5': ORDER, 'GET /client/orders/5/review': { ready: false, missing: MISSING } });
    const navigate = open('review');
    const gaps = await screen.findByTestId('missing-steps');
    expect(gaps).toHaveTextContent('Set the start and end dates.');
    expect(screen.getByRole('button', { name: 'Submit the order' })).toBeDisabled();
    expect(screen.getByTestId('step-audience')).toHaveAttribute('data-state', 'to do');
    expect(screen.getByTestId('step-questions')).toHaveAttribute('data-state', 'done');
    await userEvent.click(screen.getByRole('button', { name: 'Go to Lead goal and pacing' }));
    expect(navigate).toHaveBeenCalledWith('/orders/5/edit?step=goal');
  });

  it('submits a ready order and opens its report', async () => {
    const api = fakeApi({
      'GET /client/orders/5': ORDER,
      'GET /client/orders/5/review': { ready: true, missing: [] },
      'POST /client/orders/5/submit': { ...ORDER, status: 'submitted' },
    });
    const navigate = open('review');
    await userEvent.click(await screen.findByRole('button', { name: 'Submit the order' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/orders/5'));
    expect(requestsTo(api, 'POST', '/client/orders/5/submit')).toHaveLength(1);
  });

  it('keeps what was typed and shows the server’s field errors when saving fails', async () => {
    const refused = () =>
      new Response(
        JSON.stringify({ status: 422, code: 'validation_error', message: 'The request is not valid.', errors: [{ field: 'pacing.start_date', message: 'The start may not be in the past.' }] }),
        { status: 422 },
      );
    fakeApi({ 'GET /client/orders/5': ORDER, 'GET /client/orders/5/review': { ready: false, missing: MISSING }, 'PATCH /client/orders/5': refused });
    const navigate = open('goal');
    await userEvent.type(await screen.findByLabelText('Lead goal'), '40');
    await userEvent.type(screen.getByLabelText('Start date'), '2020-01-01');
    await userEvent.click(screen.getByRole('button', { name: 'Save and continue' }));
    expect(await screen.findByText('The start may not be in the past.')).toBeInTheDocument();
    expect(screen.getByLabelText('Start date')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Lead goal')).toHaveValue(40);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('checks the questions before saving a new version', async () => {
    const api = fakeApi({
      'GET /client/orders/5': ORDER,
      'GET /client/orders/5/review': { ready: false, missing: MISSING },
      'GET /client/orders/5/questions': { version: null, latest_version: null, questions: [] },
      'PUT /client/orders/5/questions': (body: unknown) => ({ version: 1, latest_version: 1, questions: (body as { questions: unknown[] }).questions }),
    });
    const navigate = open('questions');
    await userEvent.type(await screen.findByLabelText('Question 1'), 'Budget approved?');
    await userEvent.selectOptions(screen.getByLabelText('Answer type'), 'radio');
    await userEvent.click(screen.getByRole('button', { name: 'Save questions and continue' }));
    expect(await screen.findByText('Give at least two options, one a line.')).toBeInTheDocument();
    expect(requestsTo(api, 'PUT', '/client/orders/5/questions')).toHaveLength(0);
    await userEvent.type(screen.getByLabelText('Options for question 1, one a line'), 'yes{enter}no');
    const qualifying = screen.getByRole('group', { name: 'Qualifying answers for question 1' });
    within(qualifying).getByRole('checkbox', { name: 'yes' }).focus();
    await userEvent.keyboard(' ');
    expect(within(qualifying).getByRole('checkbox', { name: 'yes' })).toBeChecked();
    expect(within(qualifying).getByRole('checkbox', { name: 'no' })).not.toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Save questions and continue' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/orders/5/edit?step=compliance'));
    expect(requestsTo(api, 'PUT', '/client/orders/5/questions')).toEqual([
      {
        questions: [
          { question: 'Budget approved?', answer_type: 'radio', options: ['yes', 'no'], required: true, qualifying_options: ['yes'], qualifying_min: null },
        ],
      },
    ]);
  });

  it('shows the not-found page for an order the API does not know', async () => {
    fakeApi({});
    open('basics', '99');
    expect(await screen.findByTestId('not-found')).toBeInTheDocument();
  });

  it('sends a submitted order to its report instead of the steps', async () => {
    fakeApi({ 'GET /client/orders/5': { ...ORDER, status: 'submitted' }, 'GET /client/orders/5/review': { ready: false, missing: [] } });
    const navigate = open('audience');
    await userEvent.click(await screen.findByRole('button', { name: 'See its report' }));
    expect(navigate).toHaveBeenCalledWith('/orders/5');
  });
});
