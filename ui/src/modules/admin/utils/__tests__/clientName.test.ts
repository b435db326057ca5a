import { describe, expect, it } from 'vitest';

import { clientName } from '@/modules/admin/utils/clientName';

const CLIENTS = [{ id: 2, name: 'Acme', is_active: true }] as Parameters<typeof clientName>[0];

describe('clientName', () => {
  it('names the client, or says there is none, or shows the id until the list is known', () => {
    expect(clientName(CLIENTS, 2)).toBe('Acme');
    expect(clientName(CLIENTS, null, 'Every client')).toBe('Every client');
    expect(clientName(null, 2)).toBe('#2');
    expect(clientName(CLIENTS, 9)).toBe('#9');
  });
});
