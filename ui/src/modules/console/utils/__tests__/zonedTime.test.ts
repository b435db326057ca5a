import { describe, expect, it } from 'vitest';

import { zonedLocalInput, zonedLocalToIso, zoneOffsetMinutes } from '@/modules/console/utils/zonedTime';

describe('zoned times', () => {
  it('reads a wall-clock time in the callee zone as an instant', () => {
    expect(zonedLocalToIso('2026-01-15T10:30', 'America/New_York')).toBe('2026-01-15T15:30:00.000Z');
    expect(zonedLocalToIso('2026-07-15T10:30', 'America/New_York')).toBe('2026-07-15T14:30:00.000Z');
    expect(zonedLocalToIso('2026-07-15T10:30', 'Asia/Kolkata')).toBe('2026-07-15T05:00:00.000Z');
  });

  it('knows zone offsets and shows an instant as the callee’s wall clock', () => {
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2026-01-01T12:00:00Z'))).toBe(60);
    expect(zonedLocalInput('America/Los_Angeles', new Date('2026-01-01T20:05:00Z'))).toBe('2026-01-01T12:05');
  });
});
