/** A JSON list of objects typed by hand, or a message saying what is wrong with it. */
export function parseJsonList(text: string): Record<string, unknown>[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text || '[]');
  } catch (error) {
    return `not valid JSON (${(error as Error).message}).`;
  }
  if (!Array.isArray(value) || value.some((item) => !item || typeof item !== 'object' || Array.isArray(item))) {
    return 'a list of objects is expected.';
  }
  return value as Record<string, unknown>[];
}
