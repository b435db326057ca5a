import { QualifyingOptions } from '@/modules/forms/components/QualifyingOptions';
import { keptQualifying } from '@/modules/forms/utils/keptQualifying';
import { ANSWER_TYPES, draftOptions, isChoice, type QuestionDraft } from '@/modules/orders/utils/questionDrafts';
import type { AnswerType } from '@/modules/orders/types/Order';
import { Button } from '@/modules/ui/components/Button';
import { TextField } from '@/modules/ui/components/TextField';

type Props = {
  index: number;
  count: number;
  draft: QuestionDraft;
  errors: Record<string, string>;
  onChange: (draft: QuestionDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
};

/** One question being edited: text, answer type, options (and which qualify) for choice types, required. */
export function QuestionRow({ index, count, draft, errors, onChange, onMove, onRemove }: Props) {
  const n = index + 1;
  const optionsError = errors[`questions.${index}.options`];
  return (
    <li className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <div className="grid gap-3 sm:grid-cols-[1fr_14rem]">
        <TextField label={`Question ${n}`} value={draft.question} maxLength={500} onChange={(e) => onChange({ ...draft, question: e.target.value })} error={errors[`questions.${index}.question`]} />
        <div>
          <label htmlFor={`answer-type-${draft.key}`} className="block text-sm font-medium">
            Answer type
          </label>
          <select
            id={`answer-type-${draft.key}`}
            value={draft.answer_type}
            onChange={(e) => onChange({ ...draft, answer_type: e.target.value as AnswerType })}
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            {ANSWER_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {isChoice(draft.answer_type) ? (
        <div className="mt-2">
          <label htmlFor={`options-${draft.key}`} className="block text-sm font-medium">
            Options for question {n}, one a line
          </label>
          <textarea
            id={`options-${draft.key}`}
            value={draft.optionsText}
            aria-invalid={optionsError ? true : undefined}
            aria-describedby={optionsError ? `options-${draft.key}-error` : undefined}
            onChange={(e) => onChange({ ...draft, optionsText: e.target.value })}
            className="mt-1 h-20 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
          {optionsError ? (
            <p id={`options-${draft.key}-error`} className="mt-1 text-xs text-rose-700 dark:text-rose-300">
              {optionsError}
            </p>
          ) : null}
          <div className="mt-2">
            <QualifyingOptions
              question={`question ${n}`}
              options={draftOptions(draft)}
              selected={keptQualifying(draftOptions(draft), draft.qualifying)}
              error={errors[`questions.${index}.qualifying_options`]}
              onChange={(qualifying) => onChange({ ...draft, qualifying })}
            />
          </div>
        </div>
      ) : null}
      {draft.answer_type === 'number' ? (
        <TextField
          className="mt-2 w-56"
          label={`Qualifying minimum for question ${n}`}
          hint="Optional: an answer below it scores no points."
          type="number"
          value={draft.qualifyingMin}
          onChange={(e) => onChange({ ...draft, qualifyingMin: e.target.value })}
          error={errors[`questions.${index}.qualifying_min`]}
        />
      ) : null}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <label className="mr-auto flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.required} onChange={(e) => onChange({ ...draft, required: e.target.checked })} />
          Required
        </label>
        <Button disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move question ${n} up`}>
          Up
        </Button>
        <Button disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move question ${n} down`}>
          Down
        </Button>
        <Button tone="danger" disabled={count === 1} onClick={onRemove} aria-label={`Remove question ${n}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}
