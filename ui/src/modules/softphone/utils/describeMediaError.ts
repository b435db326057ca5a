import type { MicrophoneStatus } from '@/modules/softphone/types/MicrophoneState';

/** What a getUserMedia failure means for the agent. */
export function describeMediaError(error: unknown): { status: MicrophoneStatus; message: string } {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        status: 'denied',
        message: 'The microphone was refused. Allow it in the browser’s site settings, then try again.',
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { status: 'missing', message: 'No microphone was found. Plug in a headset and try again.' };
    case 'NotReadableError':
      return { status: 'missing', message: 'The microphone is busy in another program.' };
    default:
      return { status: 'unsupported', message: 'The microphone cannot be used on this page.' };
  }
}
