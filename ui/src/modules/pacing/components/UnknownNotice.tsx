import { Button } from '@/modules/ui/components/Button';

/** Messages a crash left unknown, said plainly, with the way to decide about them. */
export function UnknownNotice({ count, onResolve }: { count: number; onResolve: () => void }) {
  return (
    <div
      data-testid="unknown-notice"
      className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      <p>
        <strong className="tabular-nums">{count}</strong> {count === 1 ? 'message' : 'messages'} may or may not have
        been sent when the pacer stopped.
      </p>
      <Button tone="warning" className="ml-auto" onClick={onResolve}>
        Resolve
      </Button>
    </div>
  );
}
