import { describe, expect, it } from 'vitest';

import { mappingProblems, targetLabel } from '@/modules/audience/utils/importMapping';

describe('mappingProblems', () => {
  it('accepts a contact mapping with an email or a phone', () => {
    expect(mappingProblems({ 'E-mail': 'email', Notes: null }, 'contact')).toEqual({});
    expect(mappingProblems({ Mobile: 'mobile_phone' }, 'contact')).toEqual({});
  });

  it('asks for the column the entity needs', () => {
    expect(mappingProblems({ Name: 'first_name', Other: null }, 'contact')).toEqual({ '': 'Map an email or a phone column.' });
    expect(mappingProblems({ Domain: 'domain' }, 'account')).toEqual({ '': 'Map the account name column.' });
  });

  it('names a field mapped twice on the later column', () => {
    expect(mappingProblems({ Mail: 'email', 'Work mail': 'email' }, 'contact')).toEqual({ 'Work mail': 'email is already mapped from “Mail”.' });
  });

  it('labels targets', () => {
    expect(targetLabel('direct_phone')).toBe('direct phone');
    expect(targetLabel('custom.seat_count')).toBe('seat count (custom)');
  });
});
