import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { MonitorButtons } from '@/modules/monitor/components/CallMonitorControls';
import type { LiveAgent } from '@/modules/monitor/states/floorReducer';
import type { CallMonitor } from '@/modules/softphone/hooks/useCallMonitor';

function monitorOf(monitoring: CallMonitor['monitoring']) {
  return { monitoring, join: vi.fn(), leave: vi.fn() } as unknown as CallMonitor;
}

const agent = { agent_id: 4, name: 'Agent1', state: 'on_call' } as LiveAgent;

describe('MonitorButtons', () => {
  it('joins the agent to listen or whisper', async () => {
    const monitor = monitorOf(null);
    render(<MonitorButtons agent={agent} monitor={monitor} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Whisper to Agent1' }));
    expect(monitor.join).toHaveBeenCalledWith(4, 'whisper');
  });

  it('shows the active mode pressed, and pressing it again leaves', async () => {
    const monitor = monitorOf({ agentId: 4, mode: 'listen' });
    render(<MonitorButtons agent={agent} monitor={monitor} />);
    const listen = screen.getByRole('button', { name: 'Listen to Agent1' });
    expect(listen).toHaveAttribute('aria-pressed', 'true');
    await userEvent.setup().click(listen);
    expect(monitor.leave).toHaveBeenCalled();
  });

  it('is off for a logged-out agent', () => {
    render(<MonitorButtons agent={{ ...agent, state: 'offline' }} monitor={monitorOf(null)} />);
    expect(screen.getByRole('button', { name: 'Listen to Agent1' })).toBeDisabled();
  });
});
