import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { OrderQuestionsNotice } from '@/modules/setup/components/OrderQuestionsNotice';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const COPIED = [{ key: 'budget', label: 'Budget?', answer_type: 'radio', options: ['yes', 'no'], required: true, qualifying_options: ['yes'], qualifying_min: null }];

describe('OrderQuestionsNotice', () => {
  beforeEach(() => signInAs('campaign_manager'));

  it('names a linked order that asks other questions and copies them after confirmation', async () => {
    let match = false;
    const api = fakeApi({
      'GET /campaigns/4/order-links': () => [
        { order_id: 5, title: 'Q3 leads', status: 'in_progress', questions_match: match },
        { order_id: 6, title: 'Q4 leads', status: 'submitted', questions_match: true },
        { order_id: 7, title: 'Q5 leads', status: 'submitted', questions_match: null }, // asks none
      ],
      'POST /campaigns/4/questions/from-order/5': () => {
        match = true;
        return { questions: COPIED };
      },
    });
    const onCopied = vi.fn();
    render(<OrderQuestionsNotice campaignId={4} onCopied={onCopied} />);
    const notice = await screen.findByTestId('order-questions-notice');
    expect(notice).toHaveTextContent('Order “Q3 leads” (#5) asks different qualification questions or qualifying answers from this campaign’s');
    expect(notice).not.toHaveTextContent('Q4 leads');
    expect(notice).not.toHaveTextContent('Q5 leads');
    await userEvent.click(within(notice).getByRole('button', { name: 'Copy the questions of order “Q3 leads”' }));
    const dialog = screen.getByRole('dialog', { name: 'Copy questions' });
    expect(dialog).toHaveTextContent('current questions, and any unsaved edits to them below, will be replaced');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Replace questions' }));
    await waitFor(() => expect(onCopied).toHaveBeenCalledWith(COPIED));
    expect(requestsTo(api, 'POST', '/campaigns/4/questions/from-order/5')).toHaveLength(1);
    expect(await screen.findByRole('status')).toHaveTextContent('The questions of order “Q3 leads” are now this campaign’s (1).');
    await waitFor(() => expect(screen.queryByRole('button', { name: /Copy the questions/ })).not.toBeInTheDocument());
  });

  it('says nothing when every linked order matches or the orders cannot be read', async () => {
    const api = fakeApi({ 'GET /campaigns/4/order-links': new Response(JSON.stringify({ status: 403, code: 'forbidden', message: 'No.', errors: [] }), { status: 403 }) });
    const { container } = render(<OrderQuestionsNotice campaignId={4} onCopied={() => {}} />);
    await waitFor(() => expect(api).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container).toBeEmptyDOMElement();
  });
});
