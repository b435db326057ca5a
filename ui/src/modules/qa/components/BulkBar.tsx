import type { Verdict } from '@/modules/qa/types/Decision';
import { Button } from '@/modules/ui/components/Button';

type Props = {
  count: number;
  busy: boolean;
  canDecide: boolean;
  onDecide: (verdict: Verdict) => void;
  onClear: () => void;
};

/** The checked leads and what can be done to all of them at once. */
export function BulkBar({ count, busy, canDecide, onDecide, onClear }: Props) {
  if (count === 0) return null;
  return (
    <div role="region" aria-label="Checked leads" className="flex flex-wrap items-center gap-2 rounded-md bg-sky-50 p-2 text-sm dark:bg-sky-950">
      <span className="font-medium" data-testid="checked-count">{count} checked</span>
      {canDecide ? (
        <>
          <Button tone="success" disabled={busy} onClick={() => onDecide('approved')}>Approve checked</Button>
          <Button tone="danger" disabled={busy} onClick={() => onDecide('rejected')}>Reject checked</Button>
          <Button tone="warning" disabled={busy} onClick={() => onDecide('returned')}>Return checked</Button>
        </>
      ) : null}
      <Button disabled={busy} onClick={onClear}>Clear</Button>
    </div>
  );
}
