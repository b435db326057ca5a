/** A qualifying minimum as typed ('' = none) in the shape the API takes: a number or null. */
export function minimumOf(typed: string): number | null {
  const number = Number(typed);
  return typed.trim() === '' || !Number.isFinite(number) ? null : number;
}
