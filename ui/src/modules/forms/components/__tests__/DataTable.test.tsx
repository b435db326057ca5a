import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/modules/api/utils/ApiError';
import { type Column, DataTable } from '@/modules/forms/components/DataTable';

type Row = { id: number; name: string; size: number; active: boolean };
const ROWS: Row[] = [
  { id: 1, name: 'beta', size: 2, active: true },
  { id: 2, name: 'alpha', size: 3, active: false },
  { id: 3, name: 'gamma', size: 1, active: true },
];
const COLUMNS: Column<Row>[] = [
  { header: 'Name', cell: (r) => r.name, sort: (a, b) => a.name.localeCompare(b.name) },
  { header: 'Size', cell: (r) => r.size },
];
const names = () => screen.getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell')[0].textContent);

describe('DataTable', () => {
  it('names the table and shows loading, error and empty states', () => {
    const props = { caption: 'Things', columns: COLUMNS, rowKey: (r: Row) => r.id, emptyText: 'No things.' };
    const { rerender } = render(<DataTable {...props} rows={undefined} loading error={null} />);
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    const error = new ApiError({ status: 500, code: 'boom', message: 'It broke.', errors: [] });
    rerender(<DataTable {...props} rows={undefined} loading={false} error={error} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load: It broke.');
    rerender(<DataTable {...props} rows={[]} loading={false} error={null} />);
    expect(screen.getByText('No things.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    rerender(<DataTable {...props} rows={ROWS} loading error={null} />); // a reload keeps the rows
    expect(screen.getByRole('table', { name: 'Things' })).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });

  it('shows rows already in hand without load states, and an empty state that is a node', () => {
    const { rerender } = render(<DataTable caption="Things" columns={COLUMNS} rows={ROWS} rowKey={(r) => r.id} />);
    expect(names()).toEqual(['beta', 'alpha', 'gamma']);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    rerender(<DataTable caption="Things" columns={COLUMNS} rows={[]} rowKey={(r) => r.id} emptyText={<span data-testid="none">None linked.</span>} />);
    expect(screen.getByTestId('none')).toHaveTextContent('None linked.');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('sorts by a sortable column from the keyboard, both ways', async () => {
    render(<DataTable caption="Things" columns={COLUMNS} rows={ROWS} rowKey={(r) => r.id} loading={false} error={null} emptyText="" />);
    expect(names()).toEqual(['beta', 'alpha', 'gamma']); // the API's order
    expect(within(screen.getAllByRole('columnheader')[1]).queryByRole('button')).not.toBeInTheDocument();
    const sortByName = screen.getByRole('button', { name: /Name/ });
    sortByName.focus();
    await userEvent.keyboard('{Enter}');
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getAllByRole('columnheader')[0]).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.keyboard(' ');
    expect(names()).toEqual(['gamma', 'beta', 'alpha']);
    expect(screen.getAllByRole('columnheader')[0]).toHaveAttribute('aria-sort', 'descending');
  });

  it('runs row actions, asking first when the action says so', async () => {
    const toggle = vi.fn();
    const remove = vi.fn();
    render(
      <DataTable
        caption="Things"
        columns={COLUMNS}
        rows={ROWS}
        rowKey={(r) => r.id}
        rowTestId={(r) => `thing-${r.id}`}
        loading={false}
        error={null}
        emptyText=""
        note={(r) => (r.id === 3 ? 'yours' : null)}
        actions={[
          { label: (r) => (r.active ? 'Pause' : 'Resume'), run: toggle },
          {
            label: 'Remove',
            name: (r) => `Remove ${r.name}`,
            tone: 'danger',
            when: (r) => !r.active,
            run: remove,
            confirm: { title: 'Remove thing', button: 'Remove it', body: (r) => <p>{r.name} goes for good.</p> },
          },
        ]}
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Actions' })).toBeInTheDocument();
    const first = screen.getByTestId('thing-1');
    expect(within(first).queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
    await userEvent.click(within(first).getByRole('button', { name: 'Pause' }));
    expect(toggle).toHaveBeenCalledWith(ROWS[0]);
    expect(within(screen.getByTestId('thing-3')).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByTestId('thing-3')).toHaveTextContent('yours');

    await userEvent.click(screen.getByRole('button', { name: 'Remove alpha' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('alpha goes for good.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(remove).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Remove alpha' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove it' }));
    expect(remove).toHaveBeenCalledWith(ROWS[1]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
