import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { LeadGrid, ROW_HEIGHT } from '@/modules/qa/components/LeadGrid';
import type { QaLead } from '@/modules/qa/types/QaLead';

const lead = (id: number): QaLead => ({
  id, campaign_id: 1, contact_id: id, call_id: null, agent_id: 4, qa_status: 'new', ai_score: id % 101,
  approved_at: null, created_at: '2026-01-05T10:00:00Z', updated_at: '2026-01-05T10:00:00Z',
  contact_name: `Contact ${id}`, agent_name: 'Agent One',
});
const ROWS = Array.from({ length: 10_000 }, (_, i) => lead(i + 1));

function renderGrid(props: Partial<Parameters<typeof LeadGrid>[0]> = {}) {
  const handlers = { onOpen: vi.fn(), onCheck: vi.fn() };
  render(<LeadGrid rows={ROWS} campaignName={() => 'Q1'} currentId={null} checked={new Set()} {...handlers} {...props} />);
  return handlers;
}

const leadRows = () => screen.getAllByRole('row').filter((row) => row.hasAttribute('data-lead'));

describe('LeadGrid', () => {
  it('renders only a window of 10,000 leads, and the window follows the scroll', () => {
    renderGrid();
    const grid = screen.getByRole('grid', { name: 'Leads' });
    expect(grid).toHaveAttribute('aria-rowcount', '10001');
    expect(leadRows().length).toBeLessThan(40);
    expect(screen.getByText('#1')).toBeInTheDocument();
    expect(screen.queryByText('#5000')).not.toBeInTheDocument();

    grid.scrollTop = 4999 * ROW_HEIGHT;
    fireEvent.scroll(grid);
    expect(leadRows().length).toBeLessThan(40);
    expect(screen.getByText('#5000')).toBeInTheDocument();
    expect(screen.queryByText('#1')).not.toBeInTheDocument();
    const row = screen.getByText('#5000').closest('[role="row"]') as HTMLElement;
    expect(row).toHaveAttribute('aria-rowindex', '5001');
    expect(row.style.top).toBe(`${4999 * ROW_HEIGHT}px`);
    expect(row).toHaveTextContent('Contact 5000');
    expect(row).toHaveTextContent('Agent One');
  });

  it('scrolls the current lead into view, opens a clicked row and passes shift on a check', () => {
    const { onOpen, onCheck } = renderGrid({ currentId: 9000 });
    const row = screen.getByText('#9000').closest('[role="row"]') as HTMLElement;
    expect(row).toHaveAttribute('aria-selected', 'true');
    fireEvent.click(within(row).getByText('Q1'));
    expect(onOpen).toHaveBeenCalledWith(9000);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Check lead 9001' }), { shiftKey: true });
    expect(onCheck).toHaveBeenCalledWith(9001, true);
    expect(onOpen).toHaveBeenCalledTimes(1); // a check does not open the lead
  });
});
