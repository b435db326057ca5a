/** Every QA workspace shortcut, as the help overlay lists them. */
export const QA_SHORTCUTS: { keys: string; action: string }[] = [
  { keys: 'J / ↓', action: 'Next lead' },
  { keys: 'K / ↑', action: 'Previous lead' },
  { keys: 'C', action: 'Tick every checklist item you confirm by hand' },
  { keys: 'A', action: 'Approve the lead (or the checked leads)' },
  { keys: 'R', action: 'Reject, with a reason' },
  { keys: 'U', action: 'Return for rework, with a reason' },
  { keys: 'Space', action: 'Play or pause the recording' },
  { keys: 'X', action: 'Check or uncheck the lead for a bulk decision' },
  { keys: '?', action: 'Show or hide this help' },
  { keys: 'Esc', action: 'Close a dialog, or leave a text field so shortcuts work again' },
];
