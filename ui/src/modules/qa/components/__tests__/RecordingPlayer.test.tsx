import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { RecordingPlayer } from '@/modules/qa/components/RecordingPlayer';
import { RENEW_BEFORE_MS } from '@/modules/qa/hooks/useRecordingLink';
import { fakeApi, requestsTo, signInAs } from '@/testing/fakeBackend';

/** The API's answer: link n of recording 9, valid for five minutes from now. */
function linkRoute() {
  let n = 0;
  return () => {
    n += 1;
    return { url: `/api/v1/recordings/9/audio?token=t${n}`, expires_at: new Date(Date.now() + 5 * 60_000).toISOString() };
  };
}

function renderPlayer() {
  const audio = createRef<HTMLAudioElement>();
  render(<RecordingPlayer recordingId={9} audio={audio} onTime={() => {}} />);
  return () => screen.getByTestId('recording-audio') as HTMLAudioElement;
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  signInAs('qa_analyst');
});
afterEach(() => vi.useRealTimers());

describe('RecordingPlayer', () => {
  it('streams from a signed link and takes a new one before it expires', async () => {
    const api = fakeApi({ 'POST /recordings/9/link': linkRoute() });
    const element = renderPlayer();
    await waitFor(() => expect(element().src).toContain('/api/v1/recordings/9/audio?token=t1'));
    expect(screen.getByRole('button', { name: /^Play/ })).toBeEnabled();
    // no bearer-token download of the whole file any more
    expect(requestsTo(api, 'GET', '/recordings/9/audio')).toEqual([]);

    await act(() => vi.advanceTimersByTimeAsync(5 * 60_000 - RENEW_BEFORE_MS + 1_000));
    await waitFor(() => expect(element().src).toContain('token=t2'));
    expect(requestsTo(api, 'POST', '/recordings/9/link')).toHaveLength(2);
  });

  it('renews once when the element fails, then says the recording cannot be played', async () => {
    fakeApi({ 'POST /recordings/9/link': linkRoute() });
    const element = renderPlayer();
    await waitFor(() => expect(element().src).toContain('token=t1'));
    fireEvent.error(element()); // e.g. the link expired while the laptop slept
    await waitFor(() => expect(element().src).toContain('token=t2'));
    fireEvent.error(element());
    expect(await screen.findByRole('alert')).toHaveTextContent('The recording cannot be played');
  });

  it('shows the API refusing the link in words', async () => {
    const refused = new Response(JSON.stringify({ status: 404, code: 'not_found', message: 'Recording not found.', errors: [] }), { status: 404 });
    fakeApi({ 'POST /recordings/9/link': () => refused });
    renderPlayer();
    expect(await screen.findByRole('alert')).toHaveTextContent('Recording not found.');
  });
});
