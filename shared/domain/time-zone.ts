/**
 * Whether the runtime's ICU knows this IANA zone. Contact-hour rules are computed in the
 * customer's local time, so a job with an unknown zone must be refused at the boundary.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
