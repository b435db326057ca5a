import { describe, expect, it } from 'vitest';

import { missingByStep, neighbours, parseStep, stepOf, wizardPath } from '@/modules/orders/utils/wizardSteps';

describe('the wizard steps', () => {
  it('reads the step from the URL, falling back to the first', () => {
    expect(parseStep('questions')).toBe('questions');
    expect(parseStep('nonsense')).toBe('basics');
    expect(parseStep(null)).toBe('basics');
  });

  it('sends each missing field, nested ones too, to the step that settles it', () => {
    expect(stepOf('audience')).toBe('audience');
    expect(stepOf('pacing.start_date')).toBe('goal');
    expect(stepOf('lead_goal')).toBe('goal');
    expect(stepOf('questions.2.options')).toBe('questions');
    expect(stepOf('compliance_confirmed')).toBe('compliance');
    expect(stepOf('something_new')).toBe('review');
  });

  it('groups the review by step', () => {
    const grouped = missingByStep([
      { field: 'lead_goal', message: 'Set a lead goal.' },
      { field: 'pacing', message: 'Set the dates.' },
      { field: 'assets', message: 'Add an asset.' },
    ]);
    expect(Object.keys(grouped)).toEqual(['goal', 'assets']);
    expect(grouped.goal).toHaveLength(2);
  });

  it('knows the neighbours of each step and the route of a step', () => {
    expect(neighbours('basics')).toEqual({ previous: null, next: 'audience' });
    expect(neighbours('review')).toEqual({ previous: 'compliance', next: null });
    expect(wizardPath(null, 'assets')).toBe('/orders/new');
    expect(wizardPath(4, 'assets')).toBe('/orders/4/edit?step=assets');
  });
});
