import { describe, expect, it } from 'vitest';

import { checkDrafts, move, newDraft, toDrafts, toPayload } from '@/modules/orders/utils/questionDrafts';

describe('question drafts', () => {
  it('checks the server rules before saving, keyed like its field errors', () => {
    const drafts = [
      { ...newDraft(), question: 'Budget?', answer_type: 'radio' as const, optionsText: 'yes\n\n' },
      { ...newDraft(), question: ' budget? ' },
      { ...newDraft(), question: '' },
    ];
    expect(checkDrafts(drafts)).toEqual({
      'questions.0.options': 'Give at least two options, one a line.',
      'questions.1.question': 'The same question twice.',
      'questions.2.question': 'Write the question.',
    });
    expect(checkDrafts([])).toEqual({ questions: 'Add at least one question.' });
  });

  it('sends options, and the qualifying ones still among them, only for choice questions, trimmed', () => {
    const drafts = [
      { ...newDraft(), question: ' Timeline? ', answer_type: 'dropdown' as const, optionsText: ' Q1 \nQ2\n', qualifying: ['Q2', 'Q3'] },
      { ...newDraft(), question: 'Seats', answer_type: 'number' as const, optionsText: 'left over', required: false, qualifying: ['left over'], qualifyingMin: '10' },
      { ...newDraft(), question: 'Notes', qualifyingMin: '3' },
    ];
    expect(toPayload(drafts)).toEqual([
      { question: 'Timeline?', answer_type: 'dropdown', options: ['Q1', 'Q2'], required: true, qualifying_options: ['Q2'], qualifying_min: null },
      { question: 'Seats', answer_type: 'number', options: [], required: false, qualifying_options: [], qualifying_min: 10 },
      { question: 'Notes', answer_type: 'text', options: [], required: true, qualifying_options: [], qualifying_min: null },
    ]);
    expect(checkDrafts(drafts)).toEqual({});
  });

  it('round-trips saved questions and reorders them', () => {
    const drafts = toDrafts([{ question: 'A', answer_type: 'radio', options: ['x', 'y'], required: true, qualifying_options: ['y'] }]);
    expect(drafts[0].optionsText).toBe('x\ny');
    expect(toPayload(drafts)[0].options).toEqual(['x', 'y']);
    expect(toPayload(drafts)[0].qualifying_options).toEqual(['y']);
    expect(toDrafts([{ question: 'B', answer_type: 'text', options: [], required: true }])[0].qualifying).toEqual([]);
    const seats = toDrafts([{ question: 'C', answer_type: 'number', options: [], required: true, qualifying_min: 2.5 }]);
    expect(seats[0].qualifyingMin).toBe('2.5');
    expect(toPayload(seats)[0].qualifying_min).toBe(2.5);
    expect(move(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });
});
