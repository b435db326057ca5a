/** The start of the agent's local day, as an ISO instant (for "your day" figures). */
export function localMidnight(now: Date = new Date()): string {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return midnight.toISOString();
}
