/** Every console shortcut, as the help overlay lists them. */
export const CONSOLE_SHORTCUTS: { keys: string; action: string }[] = [
  { keys: 'R', action: 'Ready for the next call' },
  { keys: 'P', action: 'Pause (then 1–5 picks the reason)' },
  { keys: 'H', action: 'Hang up the call' },
  { keys: '1 – 9', action: 'Disposition (after the call, during wrap-up)' },
  { keys: 'N', action: 'Write notes' },
  { keys: 'Q', action: 'Go to the qualification form' },
  { keys: 'M', action: 'Mute or unmute the microphone' },
  { keys: 'O', action: 'Put the call on hold, or take it off hold' },
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Esc', action: 'Close a dialog, or leave a text field so shortcuts work again' },
];

export const PAUSE_REASONS: { code: string; label: string }[] = [
  { code: 'break', label: 'Break' },
  { code: 'lunch', label: 'Lunch' },
  { code: 'training', label: 'Training' },
  { code: 'meeting', label: 'Meeting' },
  { code: 'technical', label: 'Technical issue' },
];
