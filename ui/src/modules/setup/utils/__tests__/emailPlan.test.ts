import { describe, expect, it } from 'vitest';

import { evenWeights, planForm, planSettings, weightTotal } from '@/modules/setup/utils/emailPlan';

describe('email plan', () => {
  it('reads plain and A/B steps and writes them back the same way', () => {
    const settings = {
      email: {
        sender_profile_id: 2,
        send_window: { start: '09:00' },
        steps: [
          { variants: [{ template_id: 1, weight: 50 }, { template_id: 2, weight: 50 }] },
          { template_id: 3, delay_days: 4 },
        ],
      },
    };
    const form = planForm(settings);
    expect(form.steps[0].variants).toHaveLength(2);
    expect(form.steps[1]).toEqual({ delay_days: '4', variants: [{ template_id: '3', weight: '100' }] });
    expect(planSettings(settings, form)).toEqual({
      email: {
        sender_profile_id: 2,
        send_window: { start: '09:00' },
        rate_per_minute: 600,
        steps: [
          { delay_days: 0, variants: [{ template_id: 1, weight: 50 }, { template_id: 2, weight: 50 }] },
          { template_id: 3, delay_days: 4 },
        ],
      },
    });
  });

  it('splits weights evenly to 100 and sums them', () => {
    expect(evenWeights(3)).toEqual(['34', '33', '33']);
    expect(weightTotal({ delay_days: '0', variants: [{ template_id: '1', weight: '60' }, { template_id: '2', weight: 'x' }] })).toBe(60);
  });
});
