import { describe, expect, it } from 'vitest';

import { fillPlaceholders } from '@/modules/console/utils/fillPlaceholders';

const text = (parts: ReturnType<typeof fillPlaceholders>) => parts.map((p) => p.text).join('');

describe('fillPlaceholders', () => {
  it('fills contact, account and agent values', () => {
    const parts = fillPlaceholders('Hi {{contact.first_name}}, {{agent.first_name}} for {{ account.name }}.', {
      contact: { first_name: 'Ava' },
      account: { name: 'Company 00 Demo' },
      agent: { first_name: 'Agent1' },
    });
    expect(text(parts)).toBe('Hi Ava, Agent1 for Company 00 Demo.');
    expect(parts.filter((p) => p.filled)).toHaveLength(3);
  });

  it('uses the fallback, else shows the missing field', () => {
    const parts = fillPlaceholders('Hi {{contact.first_name|there}} at {{account.name}}', { contact: {} });
    expect(text(parts)).toBe('Hi there at [account.name]');
    expect(parts.at(-1)).toEqual({ text: '[account.name]', filled: true, missing: true });
  });
});
