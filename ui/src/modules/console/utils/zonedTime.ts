/** Minutes the zone is ahead of UTC at `instant` (e.g. New York in winter → -300). */
export function zoneOffsetMinutes(zone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time typed for the callee ("2026-03-02T10:30" in `zone`) as an ISO instant
 * with its offset, which the API needs for a callback.
 */
export function zonedLocalToIso(local: string, zone: string): string {
  const [date, time = '00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  // Two passes settle the offset across a daylight-saving change.
  let offset = zoneOffsetMinutes(zone, new Date(guess));
  offset = zoneOffsetMinutes(zone, new Date(guess - offset * 60_000));
  return new Date(guess - offset * 60_000).toISOString();
}

/** "now + minutes" as the `datetime-local` value of that moment in `zone`. */
export function zonedLocalInput(zone: string, instant: Date): string {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(zone, instant) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function formatInZone(iso: string | Date, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
}
