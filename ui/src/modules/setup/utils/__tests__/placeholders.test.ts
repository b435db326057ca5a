import { describe, expect, it } from 'vitest';

import { insertPlaceholder } from '@/modules/setup/utils/placeholders';

describe('insertPlaceholder', () => {
  it('puts the placeholder at the caret and moves the caret after it', () => {
    expect(insertPlaceholder('Hi , how are you', 3, 3, 'contact.first_name')).toEqual({
      text: 'Hi {{contact.first_name}}, how are you',
      caret: 25,
    });
  });

  it('replaces a selection, and clamps positions past the end', () => {
    expect(insertPlaceholder('Hi NAME', 3, 7, 'contact.first_name').text).toBe('Hi {{contact.first_name}}');
    expect(insertPlaceholder('Hi', 99, 120, 'account.name')).toEqual({ text: 'Hi{{account.name}}', caret: 18 });
  });
});
