/**
 * Why a message is left out (docs/email.md): the pre-send guard's reasons, as the pre-flight
 * shows them, and what excludes a queued message later (a reply, a stop).
 */
const LABELS: Record<string, string> = {
  missing_email: 'No email address',
  invalid: 'Invalid address (syntax or verification)',
  bounced: 'Bounced before',
  complained: 'Complained before',
  unsubscribed: 'Unsubscribed',
  suppressed_email: 'Address on a suppression list',
  suppressed_domain: 'Domain on a suppression list',
  frequency_cap: 'Over the frequency cap',
  replied: 'Replied: the sequence stopped',
  campaign_stopped: 'Still queued when the campaign was stopped',
};

export function exclusionLabel(reason: string): string {
  return LABELS[reason] ?? reason.replace(/_/g, ' ');
}
