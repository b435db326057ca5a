import type { Question } from '@/modules/orders/types/Order';

const TYPE_NAMES: Record<Question['answer_type'], string> = {
  text: 'free text',
  number: 'number',
  date: 'date',
  dropdown: 'one of a list',
  radio: 'one choice',
  checkbox: 'several choices',
};

/**
 * What the client asks on each lead, as QA will score it: the answer type, whether it is
 * required, and what qualifies — qualifying options carry a tick and the word
 * "qualifies", never colour alone.
 */
export function OrderQuestions({ questions }: { questions: Question[] }) {
  if (!questions.length) return <p>—</p>;
  return (
    <ol className="list-decimal space-y-2 pl-5" data-testid="order-questions">
      {questions.map((q) => {
        const qualifying = q.qualifying_options ?? [];
        return (
          <li key={q.question}>
            <p>
              <span className="font-medium">{q.question}</span>{' '}
              <span className="text-slate-600 dark:text-slate-400">
                ({TYPE_NAMES[q.answer_type]}, {q.required ? 'required' : 'optional'})
              </span>
            </p>
            {q.options.length ? (
              <ul className="mt-0.5 flex flex-wrap gap-1" aria-label={`Options of “${q.question}”`}>
                {q.options.map((option) => (
                  <li
                    key={option}
                    className={
                      qualifying.includes(option)
                        ? 'rounded border border-emerald-700 bg-emerald-50 px-1.5 font-medium text-emerald-900 dark:border-emerald-400 dark:bg-emerald-950 dark:text-emerald-100'
                        : 'rounded border border-slate-300 px-1.5 text-slate-700 dark:border-slate-600 dark:text-slate-300'
                    }
                  >
                    {qualifying.includes(option) ? (
                      <>
                        <span aria-hidden="true">✓ </span>
                        {option} <span className="text-xs">(qualifies)</span>
                      </>
                    ) : (
                      option
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
            {q.options.length && !qualifying.length ? <p className="text-xs text-slate-600 dark:text-slate-400">Every answer qualifies.</p> : null}
            {q.answer_type === 'number' ? (
              <p className="text-xs text-slate-700 dark:text-slate-300">
                {q.qualifying_min != null ? `Qualifies from ${q.qualifying_min} up.` : 'No qualifying minimum.'}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
