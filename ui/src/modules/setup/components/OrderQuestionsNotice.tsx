import { useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Question } from '@/modules/console/types/ConsoleKit';
import { ConfirmDialog } from '@/modules/forms/components/ConfirmDialog';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

/** GET /campaigns/{id}/order-links */
type OrderLink = { order_id: number; title: string; status: string; questions_match: boolean | null };

type Props = { campaignId: number; onCopied: (questions: Question[]) => void };

/**
 * Warns when an order this campaign is linked to asks other qualification questions (or
 * other qualifying answers) than the campaign, since leads are scored against the
 * campaign's; offers to copy the order's. Says nothing to a user who cannot read orders.
 */
export function OrderQuestionsNotice({ campaignId, onCopied }: Props) {
  const [version, setVersion] = useState(0);
  const links = useApiResource<OrderLink[]>(`/campaigns/${campaignId}/order-links`, version);
  const [pending, setPending] = useState<OrderLink | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const differing = (links.data ?? []).filter((link) => link.questions_match === false);
  const copy = (link: OrderLink) =>
    void run(async () => {
      const saved = await apiFetch<{ questions: Question[] }>(`/campaigns/${campaignId}/questions/from-order/${link.order_id}`, { method: 'POST' });
      setPending(null);
      setDone(`The questions of order “${link.title}” are now this campaign’s (${saved.questions.length}).`);
      onCopied(saved.questions);
      setVersion((v) => v + 1);
    });
  if (!differing.length && !done) return null;
  return (
    <section aria-label="Order questions" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50" data-testid="order-questions-notice">
      {done ? <p role="status">{done}</p> : null}
      {differing.map((link) => (
        <p key={link.order_id} className="flex flex-wrap items-center gap-2">
          <span>
            Order “{link.title}” (#{link.order_id}) asks different qualification questions or qualifying answers from this campaign’s, and leads are scored against the campaign’s.
          </span>
          <Button aria-label={`Copy the questions of order “${link.title}”`} onClick={() => setPending(link)}>
            Copy the order’s questions
          </Button>
        </p>
      ))}
      {pending ? (
        <ConfirmDialog title="Copy questions" confirm="Replace questions" tone="primary" busy={busy} onConfirm={() => copy(pending)} onCancel={() => setPending(null)}>
          <p>
            Replace this campaign’s qualification questions with those of order “{pending.title}” (qualifying answers included)? The campaign’s current questions, and any unsaved edits to them
            below, will be replaced.
          </p>
          <ErrorNote error={error} withFields />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
