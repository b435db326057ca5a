/** Small immutable edits of an editable list of rows. */
export function replaceAt<T>(rows: T[], index: number, row: T): T[] {
  return rows.map((r, i) => (i === index ? row : r));
}

export function removeAt<T>(rows: T[], index: number): T[] {
  return rows.filter((_, i) => i !== index);
}

/** Moves a row one place up (-1) or down (+1); out of range leaves the list as it was. */
export function move<T>(rows: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= rows.length) return rows;
  const next = [...rows];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}
