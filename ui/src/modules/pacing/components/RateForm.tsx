import { type FormEvent, useState } from 'react';

import { Button } from '@/modules/ui/components/Button';

type Props = {
  campaignId: number;
  busy: boolean;
  error: string | null;
  onRate: (ratePerMinute: number) => Promise<boolean>;
};

/** A new sending rate for a campaign; what was typed stays when the server refuses it. */
export function RateForm({ campaignId, busy, error, onRate }: Props) {
  const [rate, setRate] = useState('');
  const inputId = `rate-${campaignId}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onRate(Number(rate))) setRate('');
  };
  return (
    <form onSubmit={(event) => void submit(event)} className="flex flex-wrap items-end gap-2 text-sm">
      <label htmlFor={inputId} className="space-y-1">
        <span className="block font-medium">New rate (messages per minute)</span>
        <input
          id={inputId}
          type="number"
          min="0.1"
          step="any"
          required
          value={rate}
          onChange={(event) => setRate(event.target.value)}
          aria-describedby={error ? `${inputId}-error` : undefined}
          className="w-40 rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
        />
      </label>
      <Button type="submit" tone="primary" disabled={busy || rate === ''}>
        Set rate
      </Button>
      {error ? (
        <p id={`${inputId}-error`} role="alert" className="text-rose-800 dark:text-rose-300">
          {error}
        </p>
      ) : null}
    </form>
  );
}
