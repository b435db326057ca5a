import { useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Dialog } from '@/modules/console/components/Dialog';
import type { Page } from '@/modules/console/types/CampaignSummary';
import type { UnknownAction, UnknownMessage } from '@/modules/pacing/types/UnknownMessage';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

type Props = {
  campaignId: number;
  name: string;
  /** A completed campaign sends nothing more: its messages can only be marked sent. */
  completed: boolean;
  onClose: () => void;
  onResolved: (count: number) => void;
};

const ACTIONS: Record<UnknownAction, { label: string; help: string; verb: string }> = {
  resend: {
    label: 'Resend',
    help: 'Queued again with the same Message-ID (receivers that saw the first copy drop this one); the pre-send guard checks each address again.',
    verb: 'Resend',
  },
  mark_sent: {
    label: 'Mark as sent',
    help: 'Recorded as sent when it was handed to the relay; never sent again.',
    verb: 'Mark as sent',
  },
};

function plural(n: number): string {
  return `${n} message${n === 1 ? '' : 's'}`;
}

function when(at: string | null): string {
  return at ? new Date(at).toLocaleString() : 'unknown time';
}

/** Lists a campaign's unknown messages and resends them or marks them sent, all or some, after a confirmation. */
export function UnknownMessagesDialog({ campaignId, name, completed, onClose, onResolved }: Props) {
  const listing = useApiResource<Page<UnknownMessage>>(`/email-campaigns/${campaignId}/unknown?limit=200`);
  const [action, setAction] = useState<UnknownAction>(completed ? 'mark_sent' : 'resend');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const items = listing.data?.items ?? [];
  const everything = items.length > 0 && selected.size === items.length && !listing.data?.next_cursor;
  const count = everything ? items.length : selected.size;

  const toggle = (id: number) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(selected.size === items.length ? new Set() : new Set(items.map((m) => m.id)));

  const submit = async () => {
    setSaving(true);
    setFailure(null);
    try {
      const body = everything ? { all: true, action } : { ids: [...selected], action };
      const answer = await apiFetch<{ resolved: number[] }>(`/email-campaigns/${campaignId}/unknown/resolve`, {
        method: 'POST',
        body,
      });
      onResolved(answer.resolved.length);
      onClose();
    } catch (caught) {
      // the choice stays as it was, to try again or change it
      setFailure(
        caught instanceof ApiError
          ? caught
          : new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] }),
      );
      setConfirming(false);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={`Messages of ${name} that may not have been sent`} onClose={onClose}>
      <div className="space-y-3 text-sm">
        <p className="text-slate-700 dark:text-slate-200">
          The pacer stopped while these messages were with the mail relay: each may or may not have arrived.
        </p>
        <ErrorNote error={listing.error ?? failure} withFields />
        {listing.loading && !listing.data ? <p className="text-slate-600 dark:text-slate-300">Loading…</p> : null}
        {listing.data && items.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-300">No message is waiting for a decision any more.</p>
        ) : null}
        {items.length > 0 && !confirming ? (
          <>
            <table className="w-full text-left text-xs" data-testid="unknown-list">
              <caption className="sr-only">Unknown messages</caption>
              <thead className="uppercase tracking-wide text-slate-600 dark:text-slate-300">
                <tr>
                  <th scope="col" className="py-1 pr-2">
                    <input
                      type="checkbox"
                      aria-label="Select every message"
                      checked={selected.size === items.length}
                      onChange={toggleAll}
                    />
                  </th>
                  <th scope="col" className="py-1 pr-2">Recipient</th>
                  <th scope="col" className="py-1 pr-2">Step</th>
                  <th scope="col" className="py-1">Handed to the relay</th>
                </tr>
              </thead>
              <tbody>
                {items.map((message) => (
                  <tr key={message.id} className="border-t border-slate-200 dark:border-slate-700">
                    <td className="py-1 pr-2">
                      <input
                        type="checkbox"
                        aria-label={`Select ${message.email}`}
                        checked={selected.has(message.id)}
                        onChange={() => toggle(message.id)}
                      />
                    </td>
                    <td className="py-1 pr-2">{message.email}</td>
                    <td className="py-1 pr-2 tabular-nums">{message.step}</td>
                    <td className="py-1">{when(message.claimed_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {listing.data?.next_cursor ? (
              <p className="text-xs text-slate-600 dark:text-slate-300">The first 200 are listed; decide about them, then open this again.</p>
            ) : null}
            <fieldset className="space-y-2">
              <legend className="font-medium">What to do with the selected messages</legend>
              {(Object.keys(ACTIONS) as UnknownAction[]).map((key) => {
                const disabled = key === 'resend' && completed;
                return (
                  <label key={key} className={`flex items-start gap-2 ${disabled ? 'opacity-60' : ''}`}>
                    <input
                      type="radio"
                      name={`unknown-action-${campaignId}`}
                      className="mt-1"
                      checked={action === key}
                      disabled={disabled}
                      onChange={() => setAction(key)}
                    />
                    <span>
                      <span className="font-medium">{ACTIONS[key].label}</span>
                      <span className="block text-xs text-slate-600 dark:text-slate-300">
                        {disabled ? 'Not possible: the campaign is completed and sends nothing more.' : ACTIONS[key].help}
                      </span>
                    </span>
                  </label>
                );
              })}
            </fieldset>
          </>
        ) : null}
        {confirming ? (
          <p data-testid="unknown-confirm" className="rounded-md bg-amber-50 px-3 py-2 text-amber-950 dark:bg-amber-900/60 dark:text-amber-50">
            {ACTIONS[action].verb} {everything ? `all ${plural(count)}` : plural(count)} of {name}?{' '}
            {action === 'resend'
              ? 'A recipient who got the first copy may see a second one if their provider does not drop duplicates.'
              : 'They will never be sent again.'}
          </p>
        ) : null}
      </div>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={confirming ? () => setConfirming(false) : onClose}>{confirming ? 'Back' : 'Cancel'}</Button>
        {confirming ? (
          <Button tone="primary" disabled={saving} onClick={() => void submit()}>
            {ACTIONS[action].verb} {plural(count)}
          </Button>
        ) : (
          <Button tone="primary" disabled={count === 0} onClick={() => setConfirming(true)}>
            Continue
          </Button>
        )}
      </div>
    </Dialog>
  );
}
