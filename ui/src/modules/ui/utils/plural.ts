/** A count with its noun: 1 → "1 contact", 2 → "2 contacts" (nouns with a plain "s" plural only). */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
}
