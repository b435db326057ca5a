/**
 * The API query for the audit screen's URL filters: `action`, `actor`, and `from`/`to` as
 * local calendar days (`to` included, so it becomes the next midnight), plus the page cursor.
 */
export function auditQuery(query: URLSearchParams, limit = 50): string {
  const api = new URLSearchParams({ limit: String(limit) });
  const action = query.get('action');
  const actor = query.get('actor');
  const from = query.get('from');
  const to = query.get('to');
  const cursor = query.get('cursor');
  if (action) api.set('action', action);
  if (actor) api.set('actor_id', actor);
  if (from) api.set('since', new Date(`${from}T00:00:00`).toISOString());
  if (to) {
    const end = new Date(`${to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    api.set('until', end.toISOString());
  }
  if (cursor) api.set('cursor', cursor);
  return api.toString();
}
