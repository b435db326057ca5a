import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { TranscriptView } from '@/modules/qa/components/TranscriptView';

const TRANSCRIPT = {
  status: 'done',
  text: 'Hello. Budget is set. Call me in Q2.',
  utterances: [
    { speaker: 'A', text: 'Hello.', start: 0, end: 1500 },
    { speaker: 'B', text: 'Budget is set.', start: 1500, end: 4000 },
    { speaker: 'B', text: 'Call me in Q2.', start: 4000, end: 6000 },
  ],
};

describe('TranscriptView', () => {
  it('highlights the line being played and seeks to a clicked line', () => {
    const onSeek = vi.fn();
    const { rerender } = render(<TranscriptView transcript={TRANSCRIPT} time={2} onSeek={onSeek} />);
    expect(screen.getByRole('button', { name: /Budget is set/ })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('button', { name: /Hello/ })).toHaveAttribute('aria-current', 'false');
    rerender(<TranscriptView transcript={TRANSCRIPT} time={4.5} onSeek={onSeek} />);
    expect(screen.getByRole('button', { name: /Call me in Q2/ })).toHaveAttribute('aria-current', 'true');
    fireEvent.click(screen.getByRole('button', { name: /Hello/ }));
    expect(onSeek).toHaveBeenCalledWith(0);
    fireEvent.click(screen.getByRole('button', { name: /Budget/ }));
    expect(onSeek).toHaveBeenLastCalledWith(1.5);
  });
});
