import type { Column } from '@/modules/forms/components/DataTable';

/** The column a table is sorted by, and which way; null keeps the API's order. */
export type Sort = { column: number; descending: boolean } | null;

/** Ascending on the first click of a column, descending on the second, then ascending again. */
export function nextSort(sort: Sort, column: number): Sort {
  return sort?.column === column ? { column, descending: !sort.descending } : { column, descending: false };
}

/** The rows in the chosen order; the API's order while no column is chosen (a stable sort keeps ties in it). */
export function sortRows<T>(rows: T[], columns: Column<T>[], sort: Sort): T[] {
  const compare = sort ? columns[sort.column]?.sort : undefined;
  if (!sort || !compare) return rows;
  return [...rows].sort(sort.descending ? (a, b) => compare(b, a) : compare);
}
