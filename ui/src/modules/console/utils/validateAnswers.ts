import type { Answers, Question, QuestionOption } from '@/modules/console/types/ConsoleKit';

export function optionValue(option: QuestionOption): string {
  return typeof option === 'string' ? option : option.value;
}

export function optionLabel(option: QuestionOption): string {
  return typeof option === 'string' ? option : (option.label ?? option.value);
}

function isEmpty(answer: unknown): boolean {
  return (
    answer === undefined ||
    answer === null ||
    (Array.isArray(answer) && answer.length === 0) ||
    (typeof answer === 'string' && answer.trim() === '')
  );
}

/**
 * The same checks the server makes before a qualifying disposition (engine/disposition.py),
 * keyed by question: required answers, choices among the options, numbers, dates.
 */
export function validateAnswers(questions: Question[], answers: Answers): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const question of questions) {
    const answer = answers[question.key];
    if (isEmpty(answer)) {
      if (question.required) errors[question.key] = 'This answer is required.';
      continue;
    }
    const options = question.options.map(optionValue);
    switch (question.answer_type) {
      case 'radio':
      case 'dropdown':
        if (!options.includes(String(answer))) errors[question.key] = 'Choose one of the options.';
        break;
      case 'number':
        if (!Number.isFinite(Number(answer))) errors[question.key] = 'Enter a number.';
        break;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(String(answer))) errors[question.key] = 'Enter a date.';
        break;
      case 'checkbox':
        if (question.required && options.length === 0 && answer !== true)
          errors[question.key] = 'This box must be ticked.';
        break;
      default:
        break;
    }
  }
  return errors;
}

/** Answers as the API wants them: numbers as numbers, empty answers left out. */
export function cleanAnswers(questions: Question[], answers: Answers): Answers {
  const clean: Answers = {};
  for (const question of questions) {
    const answer = answers[question.key];
    if (isEmpty(answer)) continue;
    clean[question.key] = question.answer_type === 'number' ? Number(answer) : answer;
  }
  return clean;
}
