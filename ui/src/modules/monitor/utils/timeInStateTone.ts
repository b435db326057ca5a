import type { AgentState } from '@/modules/live/types/LiveEvent';

/** Seconds after which an agent's time in a state turns amber, then red. */
const LIMITS: Partial<Record<AgentState, [number, number]>> = {
  ready: [120, 300],
  wrap_up: [60, 120],
  paused: [900, 1800],
  on_call: [900, 1800],
};

export function timeInStateTone(state: AgentState, seconds: number): 'normal' | 'warn' | 'alert' {
  const limits = LIMITS[state];
  if (!limits) return 'normal';
  if (seconds >= limits[1]) return 'alert';
  return seconds >= limits[0] ? 'warn' : 'normal';
}
