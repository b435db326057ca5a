import { describe, expect, it } from 'vitest';

import type { DispositionOption, Question } from '@/modules/console/types/ConsoleKit';
import { planDisposition } from '@/modules/console/utils/planDisposition';
import { cleanAnswers, validateAnswers } from '@/modules/console/utils/validateAnswers';

const QUESTIONS: Question[] = [
  { key: 'budget', label: 'Budget?', answer_type: 'radio', options: ['Yes', 'No'], required: true },
  { key: 'timeline', label: 'When?', answer_type: 'dropdown', options: ['Q1', 'Q2'], required: true },
  { key: 'seats', label: 'Seats?', answer_type: 'number', options: [], required: false },
];
const QUALIFIED: DispositionOption = { code: 'qualified', label: 'Qualified', rule: 'qualified', shortcut: '1' };

describe('validateAnswers', () => {
  it('asks for every required answer and checks types', () => {
    expect(validateAnswers(QUESTIONS, { budget: ' ', seats: 'many' })).toEqual({
      budget: 'This answer is required.',
      timeline: 'This answer is required.',
      seats: 'Enter a number.',
    });
    expect(validateAnswers(QUESTIONS, { budget: 'Yes', timeline: 'Q3' })).toEqual({
      timeline: 'Choose one of the options.',
    });
    expect(validateAnswers(QUESTIONS, { budget: 'Yes', timeline: 'Q1' })).toEqual({});
  });

  it('sends numbers as numbers and leaves empty answers out', () => {
    expect(cleanAnswers(QUESTIONS, { budget: 'Yes', timeline: '', seats: '12' })).toEqual({ budget: 'Yes', seats: 12 });
  });
});

describe('planDisposition', () => {
  it('blocks a qualifying disposition until the form is complete', () => {
    expect(planDisposition(QUALIFIED, QUESTIONS, { budget: 'Yes' })).toEqual({
      kind: 'invalid',
      errors: { timeline: 'This answer is required.' },
    });
    expect(planDisposition(QUALIFIED, QUESTIONS, { budget: 'Yes', timeline: 'Q2' })).toEqual({ kind: 'submit' });
  });

  it('asks for a time on callbacks and a confirmation on do-not-call; others go at once', () => {
    const of = (rule: DispositionOption['rule']) => planDisposition({ ...QUALIFIED, rule }, QUESTIONS, {}).kind;
    expect(of('callback')).toBe('schedule-callback');
    expect(of('dnc')).toBe('confirm-dnc');
    expect(of('not_interested')).toBe('submit');
    expect(of('retry')).toBe('submit');
  });
});
