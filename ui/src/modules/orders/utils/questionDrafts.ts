import { keptQualifying } from '@/modules/forms/utils/keptQualifying';
import { minimumOf } from '@/modules/forms/utils/minimumOf';
import type { AnswerType, Question } from '@/modules/orders/types/Order';

/** A question as it is being edited: options as one line each, the qualifying ones ticked,
 * a number question's qualifying minimum as typed. */
export type QuestionDraft = {
  key: number;
  question: string;
  answer_type: AnswerType;
  optionsText: string;
  required: boolean;
  qualifying: string[];
  qualifyingMin: string;
};

export const ANSWER_TYPES: { value: AnswerType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'dropdown', label: 'Dropdown (one of)' },
  { value: 'radio', label: 'Radio buttons (one of)' },
  { value: 'checkbox', label: 'Checkboxes (any of)' },
];

const CHOICE: AnswerType[] = ['dropdown', 'radio', 'checkbox'];

export function isChoice(type: AnswerType): boolean {
  return CHOICE.includes(type);
}

let nextKey = 1;

export function newDraft(): QuestionDraft {
  nextKey += 1;
  return { key: nextKey, question: '', answer_type: 'text', optionsText: '', required: true, qualifying: [], qualifyingMin: '' };
}

export function toDrafts(questions: Question[]): QuestionDraft[] {
  return questions.map(({ qualifying_options = [], qualifying_min = null, ...q }) => ({
    ...newDraft(),
    ...q,
    optionsText: q.options.join('\n'),
    qualifying: qualifying_options,
    qualifyingMin: qualifying_min === null ? '' : String(qualifying_min),
  }));
}

/** The options the draft offers: one a line, for choice questions only. */
export function draftOptions(draft: QuestionDraft): string[] {
  if (!isChoice(draft.answer_type)) return [];
  return draft.optionsText
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** What the API is sent: options, and the qualifying ones among them, only for choice
 * questions; a qualifying minimum only for number ones. */
export function toPayload(drafts: QuestionDraft[]): Question[] {
  return drafts.map((d) => ({
    question: d.question.trim(),
    answer_type: d.answer_type,
    options: draftOptions(d),
    required: d.required,
    qualifying_options: keptQualifying(draftOptions(d), d.qualifying),
    qualifying_min: d.answer_type === 'number' ? minimumOf(d.qualifyingMin) : null,
  }));
}

/**
 * The server's rules checked before saving, keyed like its field errors
 * (`questions.<i>.question`, `questions.<i>.options`) so both land on the same inputs.
 */
export function checkDrafts(drafts: QuestionDraft[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (drafts.length === 0) errors.questions = 'Add at least one question.';
  const seen = new Set<string>();
  drafts.forEach((d, i) => {
    const text = d.question.trim();
    if (!text) errors[`questions.${i}.question`] = 'Write the question.';
    else if (seen.has(text.toLowerCase())) errors[`questions.${i}.question`] = 'The same question twice.';
    seen.add(text.toLowerCase());
    if (isChoice(d.answer_type) && draftOptions(d).length < 2) {
      errors[`questions.${i}.options`] = 'Give at least two options, one a line.';
    }
  });
  return errors;
}

export function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}
