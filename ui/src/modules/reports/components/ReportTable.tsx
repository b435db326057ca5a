import type { ReportKind } from '@/modules/reports/types/Report';
import { COLUMNS, type Row, rowLabel } from '@/modules/reports/utils/reportColumns';

type Props = { report: ReportKind; groupLabel: string; rows: Row[]; total: Row | null; caption: string };

export function ReportTable({ report, groupLabel, rows, total, caption }: Props) {
  const columns = COLUMNS[report];
  return (
    <table className="w-full text-sm" data-testid="report-table">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
        <tr>
          <th scope="col" className="px-3 py-2">{groupLabel}</th>
          {columns.map((column) => (
            <th key={column.key} scope="col" className="px-3 py-2 text-right">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={String(row.key)} className="border-t border-slate-100 dark:border-slate-800">
            <th scope="row" className="px-3 py-2 text-left font-medium">{rowLabel(row)}</th>
            {columns.map((column) => (
              <td key={column.key} className="px-3 py-2 text-right tabular-nums" data-testid={`cell-${column.key}`}>
                {column.format(row)}
              </td>
            ))}
          </tr>
        ))}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length + 1} className="px-3 py-4 text-center text-slate-600 dark:text-slate-400">
              Nothing in this period.
            </td>
          </tr>
        ) : null}
      </tbody>
      {total && rows.length ? (
        <tfoot className="border-t-2 border-slate-300 font-semibold dark:border-slate-600">
          <tr data-testid="report-total">
            <th scope="row" className="px-3 py-2 text-left">Total</th>
            {columns.map((column) => (
              <td key={column.key} className="px-3 py-2 text-right tabular-nums" data-testid={`total-${column.key}`}>
                {column.format(total)}
              </td>
            ))}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
