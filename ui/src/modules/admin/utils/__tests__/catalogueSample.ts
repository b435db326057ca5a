import type { ActionSpec, Catalogue } from '@/modules/admin/types/Automation';

const ops = (...pairs: [string, string][]) => pairs.map(([op, label]) => ({ op, label }));
const TEXT = ops(['eq', 'is'], ['ne', 'is not'], ['contains', 'contains'], ['in', 'is one of'], ['not_in', 'is none of'], ['changed', 'changed']);
const NUMBER = ops(['eq', 'is'], ['ne', 'is not'], ['gt', 'is more than'], ['lt', 'is less than'], ['changed', 'changed']);
const DATE = ops(['gt', 'is after'], ['lt', 'is before'], ['changed', 'changed']);
const CHOICE = ops(['eq', 'is'], ['ne', 'is not'], ['in', 'is one of'], ['not_in', 'is none of'], ['changed', 'changed']);
const USER = ops(['eq', 'is'], ['ne', 'is not'], ['changed', 'changed']);
const notify: ActionSpec = {
  type: 'notify',
  params: [
    { name: 'user_id', type: 'user', choices: [], required: true },
    { name: 'message', type: 'text', choices: [], required: true },
  ],
};
const webhook: ActionSpec = { type: 'webhook', params: [{ name: 'subscription_id', type: 'subscription', choices: [], required: true }] };

/** A slice of GET /automation/catalogue as the engine answers it. */
export const CATALOGUE: Catalogue = {
  triggers: [
    {
      trigger: 'contact.updated',
      record_type: 'contact',
      fields: [
        { name: 'job_title', type: 'text', choices: [], operators: TEXT },
        { name: 'owner_id', type: 'user', choices: [], operators: USER },
        { name: 'created_at', type: 'date', choices: [], operators: DATE },
      ],
      actions: [
        notify,
        { type: 'assign', params: [{ name: 'user_id', type: 'user', choices: [], required: true }] },
        {
          type: 'update_field',
          params: [
            { name: 'field', type: 'choice', choices: ['department', 'job_title', 'seniority_level'], required: true },
            { name: 'value', type: 'text', choices: [], required: false },
          ],
        },
        webhook,
      ],
    },
    {
      trigger: 'qa.decided',
      record_type: 'lead',
      fields: [
        { name: 'qa_status', type: 'choice', choices: ['new', 'under_review', 'approved', 'rejected'], operators: CHOICE },
        { name: 'ai_score', type: 'number', choices: [], operators: NUMBER },
      ],
      actions: [notify, webhook],
    },
  ],
};
