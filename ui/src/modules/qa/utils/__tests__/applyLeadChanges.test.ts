import { describe, expect, it } from 'vitest';

import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import type { QaLead, QaStatus } from '@/modules/qa/types/QaLead';
import { applyLeadChanges } from '@/modules/qa/utils/applyLeadChanges';
import { matchesFilters } from '@/modules/qa/utils/leadFilters';

const ANY: LeadFilters = { status: '', campaign: '', agent: '', from: '', to: '', minScore: '', maxScore: '' };
const lead = (id: number, qa_status: QaStatus = 'new', more: Partial<QaLead> = {}): QaLead => ({
  id, campaign_id: 1, contact_id: id, call_id: null, agent_id: 4, qa_status, ai_score: null,
  approved_at: null, created_at: '2026-01-05T10:00:00Z', updated_at: '2026-01-05T10:00:00Z',
  contact_name: `Contact ${id}`, agent_name: 'Agent1', ...more,
});

describe('applyLeadChanges', () => {
  it('updates changed rows where they stand, even when they no longer match the filters', () => {
    const rows = [lead(1), lead(2), lead(3)];
    const next = applyLeadChanges(rows, [lead(2, 'approved', { ai_score: 80 })], { ...ANY, status: 'new' }, false);
    expect(next.map((row) => [row.id, row.qa_status, row.ai_score])).toEqual([[1, 'new', null], [2, 'approved', 80], [3, 'new', null]]);
    expect(next[0]).toBe(rows[0]); // untouched rows keep their identity (no re-render)
  });

  it('adds new leads that match the filters, in id order, and leaves the others out', () => {
    const rows = [lead(2), lead(5)];
    const filters = { ...ANY, status: 'new' as const, campaign: '1' };
    const next = applyLeadChanges(rows, [lead(9), lead(3), lead(4, 'approved'), lead(7, 'new', { campaign_id: 2 })], filters, false);
    expect(next.map((row) => row.id)).toEqual([2, 3, 5, 9]);
  });

  it('adds nothing beyond the last row of a truncated grid', () => {
    const next = applyLeadChanges([lead(2), lead(5)], [lead(3), lead(9)], ANY, true);
    expect(next.map((row) => row.id)).toEqual([2, 3, 5]);
  });

  it('returns the same rows when nothing in them changed', () => {
    const rows = [lead(1)];
    expect(applyLeadChanges(rows, [lead(8, 'rejected')], { ...ANY, status: 'new' }, false)).toBe(rows);
  });
});

describe('matchesFilters', () => {
  it('follows the API: score bounds leave unscored leads out, days are local and both included', () => {
    const scored = lead(1, 'new', { ai_score: 50, created_at: new Date(2026, 0, 5, 23, 30).toISOString() });
    expect(matchesFilters(scored, { ...ANY, minScore: '50', maxScore: '50' })).toBe(true);
    expect(matchesFilters(scored, { ...ANY, minScore: '51' })).toBe(false);
    expect(matchesFilters(lead(2), { ...ANY, maxScore: '100' })).toBe(false);
    expect(matchesFilters(scored, { ...ANY, from: '2026-01-05', to: '2026-01-05' })).toBe(true);
    expect(matchesFilters(scored, { ...ANY, from: '2026-01-06' })).toBe(false);
    expect(matchesFilters(scored, { ...ANY, agent: '4', campaign: '1', status: 'new' })).toBe(true);
    expect(matchesFilters(scored, { ...ANY, agent: '5' })).toBe(false);
  });
});
