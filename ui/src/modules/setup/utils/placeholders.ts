/** The placeholders a script may use, grouped as the picker shows them (docs/api.md). */
export const PLACEHOLDER_GROUPS: { group: string; fields: string[] }[] = [
  {
    group: 'Contact',
    fields: ['first_name', 'last_name', 'full_name', 'job_title', 'department', 'email', 'city', 'country'].map(
      (f) => `contact.${f}`,
    ),
  },
  { group: 'Account', fields: ['name', 'domain', 'industry', 'hq_city', 'hq_country'].map((f) => `account.${f}`) },
  { group: 'Agent', fields: ['agent.first_name', 'agent.full_name'] },
  { group: 'Campaign', fields: ['campaign.name', 'campaign.topic'] },
];

/** Sample values for the live preview, so a manager sees how a script reads. */
export const SAMPLE_CONTEXT = {
  contact: {
    first_name: 'Dana', last_name: 'Reyes', full_name: 'Dana Reyes', job_title: 'IT Director',
    department: 'IT', email: 'dana.reyes@example.com', city: 'Austin', country: 'US',
  },
  account: { name: 'Example Corp', domain: 'example.com', industry: 'Software', hq_city: 'Austin', hq_country: 'US' },
  agent: { first_name: 'Sam', full_name: 'Sam Agent' },
  campaign: { name: 'This campaign', topic: 'IT modernisation' },
};

/**
 * `text` with `{{field}}` put over the selection [start, end); returns the new text and where
 * the caret goes (just after the placeholder), so typing carries on from there.
 */
export function insertPlaceholder(text: string, start: number, end: number, field: string) {
  const token = `{{${field}}}`;
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + token + text.slice(to), caret: from + token.length };
}
