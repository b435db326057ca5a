import type { DebouncedAnswer } from '@/modules/api/hooks/useDebouncedPost';
import type { AudienceCount } from '@/modules/orders/types/Order';
import { plural } from '@/modules/ui/utils/plural';

/** The live count of what an audience choice would hold, announced politely as it changes. */
export function AudienceCountNote({ answer }: { answer: DebouncedAnswer<AudienceCount> }) {
  const text = answer.error
    ? answer.error
    : answer.data
      ? `${plural(answer.data.contact_count, 'contact')} at ${plural(answer.data.account_count, 'account')} match now${answer.loading ? ' (counting again…)' : ''}.`
      : answer.loading
        ? 'Counting…'
        : '';
  return (
    <p
      aria-live="polite"
      data-testid="audience-count"
      className={`text-sm ${answer.error ? 'text-rose-700 dark:text-rose-300' : 'text-slate-700 dark:text-slate-300'}`}
    >
      {text}
    </p>
  );
}
