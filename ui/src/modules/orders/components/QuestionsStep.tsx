import { useEffect, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { QuestionRow } from '@/modules/orders/components/QuestionRow';
import type { Order, QuestionVersion } from '@/modules/orders/types/Order';
import { fieldErrors } from '@/modules/orders/utils/fieldErrors';
import { checkDrafts, move, newDraft, type QuestionDraft, toDrafts, toPayload } from '@/modules/orders/utils/questionDrafts';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';
import { useAction } from '@/modules/ui/hooks/useAction';

/** The qualification questions; every save is a new version, earlier ones stay readable. */
export function QuestionsStep({ order, onSaved }: { order: Order; onSaved: () => void }) {
  const saved = useApiResource<QuestionVersion>(`/client/orders/${order.id}/questions`);
  const [drafts, setDrafts] = useState<QuestionDraft[] | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (saved.data && drafts === null) {
      setDrafts(saved.data.questions.length ? toDrafts(saved.data.questions) : [newDraft()]);
      setVersion(saved.data.version);
    }
  }, [saved.data, drafts]);
  if (saved.error) return <ErrorNote error={saved.error} />;
  if (!drafts) return <p className="text-sm">Loading the questions…</p>;
  const errors = { ...fieldErrors(error), ...local };
  const update = (index: number, next: QuestionDraft) => setDrafts(drafts.map((d, i) => (i === index ? next : d)));
  const save = () => {
    const found = checkDrafts(drafts);
    setLocal(found);
    if (Object.keys(found).length) return;
    void run(async () => {
      const answer = await apiFetch<QuestionVersion>(`/client/orders/${order.id}/questions`, { method: 'PUT', body: { questions: toPayload(drafts) } });
      setVersion(answer.version);
      onSaved();
    });
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="question-version">
        {version ? `Saved as version ${version}. Saving again makes a new version.` : 'Not saved yet.'}
      </p>
      <ol className="space-y-3">
        {drafts.map((draft, index) => (
          <QuestionRow
            key={draft.key}
            index={index}
            count={drafts.length}
            draft={draft}
            errors={errors}
            onChange={(next) => update(index, next)}
            onMove={(to) => setDrafts(move(drafts, index, to))}
            onRemove={() => setDrafts(drafts.filter((_, i) => i !== index))}
          />
        ))}
      </ol>
      {errors.questions ? <p className="text-sm text-rose-700 dark:text-rose-300">{errors.questions}</p> : null}
      <div className="flex gap-2">
        <Button onClick={() => setDrafts([...drafts, newDraft()])}>Add a question</Button>
        <Button tone="primary" disabled={busy} onClick={save}>
          Save questions and continue
        </Button>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
