/** The live-changeable part of a call campaign's settings (engine/campaign.py checks it). */
export type CallSettingsForm = {
  start: string;
  end: string;
  days: number[];
  retry: Record<RetryField, string>;
  wrapUp: string;
  priority: string;
};

export type RetryField = 'busy' | 'no_answer' | 'machine' | 'failed' | 'callback' | 'max_attempts';
