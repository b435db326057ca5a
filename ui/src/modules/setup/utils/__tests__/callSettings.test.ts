import { describe, expect, it } from 'vitest';

import { callSettings, callSettingsForm } from '@/modules/setup/utils/callSettings';

describe('call settings', () => {
  it('fills defaults and keeps settings the form does not edit', () => {
    const form = callSettingsForm({ topic: 'IT', calling_window: { start: '09:00', days: [4, 0] } });
    expect(form.start).toBe('09:00');
    expect(form.end).toBe('21:00');
    const saved = callSettings({ topic: 'IT' }, { ...form, caller_id: ' +14155550100 ', busy: '15' });
    expect(saved).toMatchObject({
      topic: 'IT',
      calling_window: { start: '09:00', end: '21:00', days: [0, 4] },
      retry: { busy: 15, max_attempts: 3 },
      caller_id: '+14155550100',
      wrap_up_seconds: 30,
    });
  });

  it('drops an emptied caller ID and passes bad numbers on for the server to name', () => {
    const form = callSettingsForm({ caller_id: '+14155550100' });
    const saved = callSettings({ caller_id: '+14155550100' }, { ...form, caller_id: '', machine: 'soon' });
    expect(saved.caller_id).toBeUndefined();
    expect((saved.retry as Record<string, unknown>).machine).toBe('soon');
  });
});
