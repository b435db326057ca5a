import type { AgentState } from '@/modules/live/types/LiveEvent';

export const STATE_LOOK: Record<AgentState, { label: string; className: string }> = {
  offline: { label: 'Logged out', className: 'bg-slate-200 text-slate-800' },
  ready: { label: 'Ready', className: 'bg-emerald-700 text-white' },
  reserved: { label: 'Reserved', className: 'bg-sky-700 text-white' },
  ringing: { label: 'Dialing', className: 'bg-sky-800 text-white' },
  on_call: { label: 'On call', className: 'bg-indigo-700 text-white' },
  wrap_up: { label: 'Wrap-up', className: 'bg-amber-400 text-slate-900' },
  paused: { label: 'Paused', className: 'bg-slate-600 text-white' },
};
