import type { Answers, Question } from '@/modules/console/types/ConsoleKit';
import { optionLabel, optionValue } from '@/modules/console/utils/validateAnswers';

type Props = {
  questions: Question[];
  answers: Answers;
  errors: Record<string, string>;
  onAnswer: (key: string, value: unknown) => void;
  disabled?: boolean;
};

const INPUT = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';

function QuestionInput({ question, value, onAnswer, disabled, invalid }: {
  question: Question;
  value: unknown;
  onAnswer: (key: string, value: unknown) => void;
  disabled?: boolean;
  invalid: boolean;
}) {
  const id = `q-${question.key}`;
  const common = { id, disabled, 'aria-invalid': invalid, 'aria-describedby': invalid ? `${id}-error` : undefined };
  switch (question.answer_type) {
    case 'radio':
      return (
        <div role="radiogroup" aria-labelledby={`${id}-label`} className="mt-1 flex flex-wrap gap-3">
          {question.options.map((option, index) => (
            <label key={optionValue(option)} className="flex items-center gap-1 text-sm">
              <input
                type="radio"
                id={index === 0 ? id : undefined}
                name={id}
                disabled={disabled}
                checked={value === optionValue(option)}
                onChange={() => onAnswer(question.key, optionValue(option))}
              />
              {optionLabel(option)}
            </label>
          ))}
        </div>
      );
    case 'dropdown':
      return (
        <select {...common} className={INPUT} value={String(value ?? '')} onChange={(e) => onAnswer(question.key, e.target.value)}>
          <option value="">Choose…</option>
          {question.options.map((option) => (
            <option key={optionValue(option)} value={optionValue(option)}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      );
    case 'checkbox':
      return (
        <input
          {...common}
          type="checkbox"
          className="mt-1"
          checked={value === true}
          onChange={(e) => onAnswer(question.key, e.target.checked)}
        />
      );
    case 'number':
      return <input {...common} type="number" className={INPUT} value={String(value ?? '')} onChange={(e) => onAnswer(question.key, e.target.value)} />;
    case 'date':
      return <input {...common} type="date" className={INPUT} value={String(value ?? '')} onChange={(e) => onAnswer(question.key, e.target.value)} />;
    default:
      return <textarea {...common} rows={2} className={INPUT} value={String(value ?? '')} onChange={(e) => onAnswer(question.key, e.target.value)} />;
  }
}

export function QualificationForm({ questions, answers, errors, onAnswer, disabled }: Props) {
  return (
    <section aria-labelledby="qualification-title" className="rounded-lg bg-white p-4 shadow-sm" data-testid="qualification">
      <h2 id="qualification-title" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
        Qualification
      </h2>
      {questions.length === 0 ? <p className="text-sm text-slate-500">No questions for this campaign.</p> : null}
      <div className="space-y-3">
        {questions.map((question) => {
          const id = `q-${question.key}`;
          const error = errors[question.key];
          return (
            <div key={question.key}>
              <label id={`${id}-label`} htmlFor={id} className="text-sm font-medium">
                {question.label}
                {question.required ? <span className="text-rose-700" aria-label="required"> *</span> : null}
              </label>
              <QuestionInput question={question} value={answers[question.key]} onAnswer={onAnswer} disabled={disabled} invalid={Boolean(error)} />
              {error ? (
                <p id={`${id}-error`} role="alert" className="mt-0.5 text-xs text-rose-700">
                  {error}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
