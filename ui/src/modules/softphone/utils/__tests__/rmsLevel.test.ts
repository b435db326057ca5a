import { describe, expect, it } from 'vitest';

import { describeMediaError } from '@/modules/softphone/utils/describeMediaError';
import { rmsLevel } from '@/modules/softphone/utils/rmsLevel';

describe('rmsLevel', () => {
  it('is 0 for silence, 1 at full scale and in between for a quiet tone', () => {
    expect(rmsLevel(new Float32Array(256))).toBe(0);
    expect(rmsLevel(new Float32Array(256).fill(1))).toBe(1);
    const tone = Float32Array.from({ length: 480 }, (_, n) => 0.1 * Math.sin((2 * Math.PI * n) / 48));
    const level = rmsLevel(tone);
    expect(level).toBeGreaterThan(0.5);
    expect(level).toBeLessThan(0.8);
  });
});

describe('describeMediaError', () => {
  it('tells a refused microphone from a missing one', () => {
    expect(describeMediaError(new DOMException('no', 'NotAllowedError')).status).toBe('denied');
    expect(describeMediaError(new DOMException('no', 'NotFoundError')).status).toBe('missing');
    expect(describeMediaError(new Error('?')).status).toBe('unsupported');
  });
});
