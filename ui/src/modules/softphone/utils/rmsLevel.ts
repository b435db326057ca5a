/**
 * The loudness of a block of time-domain samples (-1…1) as 0…1, scaled so speech fills the
 * meter: RMS in dBFS mapped from -60 dB (silence) to 0 dB (full scale).
 */
export function rmsLevel(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
