/** The status changes operations may make from each order status (docs/api.md). */
const MOVES: Record<string, { to: string; label: string }[]> = {
  submitted: [
    { to: 'in_progress', label: 'Start work' },
    { to: 'cancelled', label: 'Cancel order' },
  ],
  in_progress: [
    { to: 'completed', label: 'Mark completed' },
    { to: 'cancelled', label: 'Cancel order' },
  ],
};

export function statusMoves(status: string): { to: string; label: string }[] {
  return MOVES[status] ?? [];
}

/** The reports' campaign filter for these campaigns (`campaign_id` repeated). */
export function campaignFilter(ids: number[]): string {
  return ids.map((id) => `campaign_id=${id}`).join('&');
}
