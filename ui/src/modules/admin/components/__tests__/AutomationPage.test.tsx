import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { AutomationPage } from '@/modules/admin/components/AutomationPage';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

import { CATALOGUE } from '../../utils/__tests__/catalogueSample';

const USERS = { items: [{ id: 7, email: 'ann@x.com', full_name: 'Ann', role: 'campaign_manager', client_id: null, is_active: true, created_at: '' }], next_cursor: null };
const SUBS = { items: [{ id: 3, url: 'https://hooks.example.com/in', events: ['automation.webhook'], client_id: null, active: true }], next_cursor: null };

describe('AutomationPage', () => {
  beforeEach(() => signInAs('admin'));

  it('builds a rule from rows, shows the server’s row errors there and keeps what was typed', async () => {
    const rules = { items: [] as unknown[], next_cursor: null };
    let refuse = true;
    const api = fakeApi({
      'GET /automation-rules': () => rules,
      'GET /automation/catalogue': CATALOGUE,
      'GET /users': USERS,
      'GET /webhook-subscriptions': SUBS,
      'POST /automation-rules': (body: unknown) => {
        if (refuse) {
          refuse = false;
          const errors = [{ field: 'conditions.0.value', message: 'Give a number.' }];
          return new Response(JSON.stringify({ status: 422, code: 'validation_failed', message: 'The rule is not valid.', errors }), { status: 422 });
        }
        rules.items = [{ id: 1, active: true, ...(body as object) }];
        return rules.items[0];
      },
    });
    render(<AutomationPage />);
    await userEvent.type(await screen.findByLabelText('Rule name'), 'Hot leads');
    await userEvent.selectOptions(screen.getByLabelText('Trigger'), 'qa.decided');
    await userEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    await userEvent.selectOptions(screen.getByLabelText('Condition 1 field'), 'ai score');
    const operators = within(screen.getByLabelText('Condition 1 operator')).getAllByRole('option').map((o) => o.textContent);
    expect(operators).toEqual(['is', 'is not', 'is more than', 'is less than', 'changed']);
    await userEvent.selectOptions(screen.getByLabelText('Condition 1 operator'), 'is more than');
    await userEvent.type(screen.getByLabelText('Condition 1 value'), '70');
    await userEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    await userEvent.selectOptions(screen.getByLabelText('Condition 2 operator'), 'is one of');
    const values = screen.getByRole('group', { name: 'Condition 2 values' });
    await userEvent.click(within(values).getByLabelText('approved'));
    await userEvent.selectOptions(screen.getByLabelText('Action 1 user'), 'Ann (ann@x.com)');
    await userEvent.type(screen.getByLabelText('Action 1 message'), 'A hot lead');
    await userEvent.click(screen.getByRole('button', { name: 'Add action' }));
    await userEvent.selectOptions(screen.getByLabelText('Action 2 type'), 'webhook');
    await userEvent.selectOptions(screen.getByLabelText('Action 2 subscription'), 'https://hooks.example.com/in');

    await userEvent.click(screen.getByLabelText('View as JSON (what is sent)'));
    expect(JSON.parse(screen.getByTestId('rule-json').textContent ?? '')).toMatchObject({ trigger: 'qa.decided', actions: [{ user_id: 7 }, { subscription_id: 3 }] });

    await userEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    const value = screen.getByLabelText('Condition 1 value');
    await waitFor(() => expect(value).toHaveAccessibleDescription('Give a number.'));
    expect(value).toHaveValue(70); // nothing typed is lost
    expect(screen.getByRole('alert')).toHaveTextContent('The rule is not valid.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('conditions.0.value'); // shown at its row instead

    await userEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Rule Hot leads created.');
    expect(requestsTo(api, 'POST', '/automation-rules').at(-1)).toEqual({
      name: 'Hot leads',
      trigger: 'qa.decided',
      conditions: [
        { field: 'ai_score', op: 'gt', value: 70 },
        { field: 'qa_status', op: 'in', value: ['approved'] },
      ],
      actions: [
        { type: 'notify', user_id: 7, message: 'A hot lead' },
        { type: 'webhook', subscription_id: 3 },
      ],
    });
    expect(await screen.findByTestId('rule-1')).toHaveTextContent('notify, webhook');
    expect(screen.getByLabelText('Rule name')).toHaveValue(''); // the editor starts afresh
  });

  it('edits a saved rule in the same rows, keeping its trigger', async () => {
    const saved = {
      id: 4,
      name: 'Titles',
      trigger: 'contact.updated',
      active: true,
      conditions: [{ field: 'job_title', op: 'in', value: ['CTO', 'CIO'] }],
      actions: [{ type: 'update_field', field: 'department', value: null }],
    };
    const api = fakeApi({
      'GET /automation-rules': { items: [saved], next_cursor: null },
      'GET /automation/catalogue': CATALOGUE,
      'GET /users': USERS,
      'GET /webhook-subscriptions': SUBS,
      'PATCH /automation-rules/4': (body: unknown) => ({ ...saved, ...(body as object) }),
    });
    render(<AutomationPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Titles' }));
    expect(screen.getByRole('heading', { name: 'Edit rule “Titles”' })).toBeInTheDocument();
    expect(screen.getByLabelText('Trigger')).toBeDisabled();
    const values = screen.getByLabelText('Condition 1 values');
    expect(values).toHaveValue('CTO,CIO');
    await userEvent.type(values, ', VP Engineering');
    await userEvent.type(screen.getByLabelText('Action 1 value'), 'Engineering');
    await userEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Rule Titles saved.');
    expect(requestsTo(api, 'PATCH', '/automation-rules/4')).toEqual([
      {
        name: 'Titles',
        conditions: [{ field: 'job_title', op: 'in', value: ['CTO', 'CIO', 'VP Engineering'] }],
        actions: [{ type: 'update_field', field: 'department', value: 'Engineering' }],
      },
    ]);
    expect(screen.getByRole('heading', { name: 'New rule' })).toBeInTheDocument();
  });
});
