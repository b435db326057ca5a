import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { SoftphonePanel } from '@/modules/softphone/components/SoftphonePanel';
import { useAudioBridge } from '@/modules/softphone/hooks/useAudioBridge';
import { useMicrophone } from '@/modules/softphone/hooks/useMicrophone';

function Harness() {
  const microphone = useMicrophone();
  const bridge = useAudioBridge(microphone.stream);
  return <SoftphonePanel microphone={microphone} bridge={bridge} onCall={false} onToggleMute={microphone.toggleMute} />;
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
  it('shows audio off until there is a microphone and a WebRTC session', () => {
    render(<Harness />);
    expect(screen.getByTestId('bridge-status')).toHaveTextContent('Audio off');
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
    expect(screen.getByRole('button', { name: /Hold/ })).toBeDisabled(); // no call, no hold
  });
});
