/** The qualifying options still among the options (an option edited away drops out). */
export function keptQualifying(options: string[], qualifying: string[]): string[] {
  return qualifying.filter((o) => options.includes(o));
}
