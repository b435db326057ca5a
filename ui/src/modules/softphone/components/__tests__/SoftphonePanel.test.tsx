import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { SoftphonePanel } from '@/modules/softphone/components/SoftphonePanel';
import { useMicrophone } from '@/modules/softphone/hooks/useMicrophone';

function Harness() {
  return <SoftphonePanel microphone={useMicrophone()} />;
}

function stubMedia(getUserMedia: () => Promise<MediaStream>) {
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia: vi.fn(getUserMedia),
      enumerateDevices: vi.fn(async () => [
        { kind: 'audioinput', deviceId: 'mic-1', label: 'Headset mic' },
        { kind: 'audiooutput', deviceId: 'spk-1', label: 'Headset' },
      ]),
    },
  });
}

describe('SoftphonePanel', () => {
  it('says honestly that the audio bridge is not connected', () => {
    render(<Harness />);
    expect(screen.getByTestId('bridge-status')).toHaveTextContent('Audio bridge not connected');
  });

  it('explains a refused microphone', async () => {
    stubMedia(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    render(<Harness />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Enable microphone' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The microphone was refused');
  });

  it('lists the devices and mutes the track once the microphone is allowed', async () => {
    const track = { enabled: true, stop: vi.fn(), getSettings: () => ({ deviceId: 'mic-1' }) };
    stubMedia(async () => ({ getAudioTracks: () => [track], getTracks: () => [track] }) as unknown as MediaStream);
    render(<Harness />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Enable microphone' }));
    expect(await screen.findByRole('option', { name: 'Headset mic' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Mute/ }));
    expect(track.enabled).toBe(false);
    expect(screen.getByRole('button', { name: /Unmute/ })).toHaveAttribute('aria-pressed', 'true');
  });
});
