import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import type { Question } from '@/modules/console/types/ConsoleKit';
import { QuestionsEditor } from '@/modules/setup/components/QuestionsEditor';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

const BUDGET: Question = {
  key: 'budget',
  label: 'Budget?',
  answer_type: 'radio',
  options: ['Yes', 'No', 'Unsure'],
  required: true,
  qualifying_options: ['Yes'],
};
const SEATS: Question = { key: 'seats', label: 'Seats?', answer_type: 'number', options: [], required: false, qualifying_options: [] };

describe('QuestionsEditor', () => {
  beforeEach(() => signInAs('campaign_manager'));

  it('ticks the qualifying options with the keyboard and saves them with the questions', async () => {
    const api = fakeApi({ 'PUT /campaigns/4/questions': (body: unknown) => body });
    render(<QuestionsEditor campaignId={4} initial={[BUDGET, SEATS]} />);
    const group = screen.getByRole('group', { name: 'Qualifying answers for question 1' });
    expect(within(group).getByRole('checkbox', { name: 'Yes' })).toBeChecked();
    within(group).getByRole('checkbox', { name: 'Unsure' }).focus();
    await userEvent.keyboard(' ');
    // a question without options offers nothing to tick; a number one takes a minimum
    expect(screen.queryByRole('group', { name: 'Qualifying answers for question 2' })).toBeNull();
    expect(screen.queryByLabelText('Question 1 qualifying minimum')).toBeNull();
    await userEvent.type(screen.getByLabelText('Question 2 qualifying minimum'), '10');

    await userEvent.click(screen.getByRole('button', { name: 'Save questions' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Questions saved'));
    const [sent] = requestsTo(api, 'PUT', '/campaigns/4/questions') as { questions: Question[] }[];
    expect(sent.questions.map((q) => q.qualifying_options)).toEqual([['Yes', 'Unsure'], []]);
    expect(sent.questions.map((q) => q.qualifying_min)).toEqual([null, 10]);
  });

  it('drops a qualifying option whose option was edited away', async () => {
    const api = fakeApi({ 'PUT /campaigns/4/questions': (body: unknown) => body });
    render(<QuestionsEditor campaignId={4} initial={[BUDGET]} />);
    const options = screen.getByLabelText('Question 1 options');
    await userEvent.clear(options);
    await userEvent.type(options, 'Approved, None');
    const group = screen.getByRole('group', { name: 'Qualifying answers for question 1' });
    expect(within(group).getAllByRole('checkbox').map((c) => (c as HTMLInputElement).checked)).toEqual([false, false]);
    await userEvent.click(screen.getByRole('button', { name: 'Save questions' }));
    await waitFor(() => expect(requestsTo(api, 'PUT', '/campaigns/4/questions')).toHaveLength(1));
    const [sent] = requestsTo(api, 'PUT', '/campaigns/4/questions') as { questions: Question[] }[];
    expect(sent.questions[0].qualifying_options).toEqual([]);
  });

  it('shows the API refusing the qualifying options beside them and keeps the ticks', async () => {
    fakeApi({
      'PUT /campaigns/4/questions': () =>
        new Response(
          JSON.stringify({
            status: 422,
            code: 'validation_failed',
            message: 'The request is not valid.',
            errors: [{ field: 'questions.0.qualifying_options', message: "'Yes' is not one of the options." }],
          }),
          { status: 422 },
        ),
    });
    render(<QuestionsEditor campaignId={4} initial={[BUDGET]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save questions' }));
    expect(await screen.findByText("'Yes' is not one of the options.")).toBeInTheDocument();
    const group = screen.getByRole('group', { name: 'Qualifying answers for question 1' });
    expect(within(group).getByRole('checkbox', { name: 'Yes' })).toBeChecked();
  });
});
