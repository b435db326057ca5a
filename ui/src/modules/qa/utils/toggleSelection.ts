/**
 * The checked ids after a click on `id`: alone it toggles that row; with shift it sets every
 * row from the last clicked one (`anchor`) to this one to the clicked row's new state.
 */
export function toggleSelection(
  checked: ReadonlySet<number>,
  order: readonly number[],
  id: number,
  anchor: number | null,
  shift: boolean,
): Set<number> {
  const next = new Set(checked);
  const on = !checked.has(id);
  const from = shift && anchor !== null ? order.indexOf(anchor) : -1;
  const to = order.indexOf(id);
  const span = from >= 0 && to >= 0 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
  for (const each of span) {
    if (on) next.add(each);
    else next.delete(each);
  }
  return next;
}
