import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { ExclusionReasons } from '@/modules/pacing/components/ExclusionReasons';
import { fakeApi, signInAs } from '@/testing/fakeBackend';

beforeEach(() => signInAs('campaign_manager', 'Manager'));

describe('ExclusionReasons', () => {
  it('reads the reasons only when opened, most frequent first, in words', async () => {
    const spy = fakeApi({
      'GET /email-campaigns/3/stats': {
        messages: { sent: 11, excluded: 89 },
        events: {},
        unknown: 0,
        excluded_by_reason: { unsubscribed: 6, campaign_stopped: 83 },
      },
    });
    render(<ExclusionReasons campaignId={3} excluded={89} />);
    expect(spy).not.toHaveBeenCalled();
    await userEvent.setup().click(screen.getByText('Why excluded?'));
    const items = await screen.findAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual(['Still queued when the campaign was stopped83', 'Unsubscribed6']);
  });

  it('says why the reasons cannot be read', async () => {
    fakeApi({});
    render(<ExclusionReasons campaignId={3} excluded={2} />);
    await userEvent.setup().click(screen.getByText('Why excluded?'));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('No route GET /email-campaigns/3/stats'));
  });
});
