import { type ReactNode, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { ConfirmDialog } from '@/modules/forms/components/ConfirmDialog';
import { LoadState } from '@/modules/forms/components/LoadState';
import { type Sort, nextSort, sortRows } from '@/modules/forms/utils/tableSort';
import { Button } from '@/modules/ui/components/Button';

export type Column<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** Makes the header a button that sorts the rows by this comparison (then reversed). */
  sort?: (a: T, b: T) => number;
  className?: string;
};

export type RowAction<T> = {
  label: string | ((row: T) => string);
  /** The button's accessible name when the label alone is ambiguous ("Remove x@y.com"). */
  name?: (row: T) => string;
  tone?: 'neutral' | 'danger' | 'primary';
  /** Rows this action applies to (all when absent). */
  when?: (row: T) => boolean;
  run: (row: T) => void;
  /** Ask first: the dialog's title, its button and what it says about this row. */
  confirm?: { title: string; button: string; body: (row: T) => ReactNode };
};

type Props<T> = {
  /** Names the table for screen readers (not shown). */
  caption: string;
  columns: Column<T>[];
  /** Undefined until the first answer. */
  rows: T[] | undefined;
  rowKey: (row: T) => string | number;
  /** Loading and error are left out for rows already in hand (e.g. part of a loaded record). */
  loading?: boolean;
  error?: ApiError | null;
  /** Shown instead of the table when the list is empty (may carry its own test id). */
  emptyText?: ReactNode;
  actions?: RowAction<T>[];
  /** Shown in the actions cell instead of the actions (e.g. "you" on one's own row). */
  note?: (row: T) => string | null;
  rowTestId?: (row: T) => string;
  rowClassName?: (row: T) => string;
  testId?: string;
};

/** A list from the API as a table: its load states, sortable columns and row actions (some asking for confirmation first). */
export function DataTable<T>({ caption, columns, rows, rowKey, loading = false, error = null, emptyText, actions = [], note, rowTestId, rowClassName, testId }: Props<T>) {
  const [sort, setSort] = useState<Sort>(null);
  const [pending, setPending] = useState<{ action: RowAction<T>; row: T } | null>(null);
  const sorted = sortRows(rows ?? [], columns, sort);
  const hasActions = actions.length > 0 || note !== undefined;
  const press = (action: RowAction<T>, row: T) => (action.confirm ? setPending({ action, row }) : action.run(row));

  return (
    <>
      <LoadState loading={loading && !rows} error={error} empty={rows?.length === 0} emptyText={emptyText} />
      {sorted.length ? (
        <table data-testid={testId} className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column, i) => (
                <th key={column.header} className="py-1 pr-3" aria-sort={sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                  {column.sort ? (
                    <button type="button" className="font-semibold underline-offset-2 hover:underline" onClick={() => setSort(nextSort(sort, i))}>
                      {column.header}
                      <span aria-hidden="true">{sort?.column === i ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              ))}
              {hasActions ? (
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={rowKey(row)} data-testid={rowTestId?.(row)} className={`border-t border-slate-200 dark:border-slate-700 ${rowClassName?.(row) ?? ''}`}>
                {columns.map((column) => (
                  <td key={column.header} className={`py-1.5 pr-3 ${column.className ?? ''}`}>
                    {column.cell(row)}
                  </td>
                ))}
                {hasActions ? <td className="space-x-2 text-right">{note?.(row) ? <span className="text-slate-600 dark:text-slate-400">{note(row)}</span> : <Actions row={row} actions={actions} onPress={press} />}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pending?.action.confirm ? (
        <ConfirmDialog
          title={pending.action.confirm.title}
          confirm={pending.action.confirm.button}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            pending.action.run(pending.row);
          }}
        >
          {pending.action.confirm.body(pending.row)}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function Actions<T>({ row, actions, onPress }: { row: T; actions: RowAction<T>[]; onPress: (action: RowAction<T>, row: T) => void }) {
  return (
    <>
      {actions
        .filter((action) => action.when?.(row) ?? true)
        .map((action) => {
          const label = typeof action.label === 'function' ? action.label(row) : action.label;
          return (
            <Button key={label} tone={action.tone} aria-label={action.name?.(row)} onClick={() => onPress(action, row)}>
              {label}
            </Button>
          );
        })}
    </>
  );
}
