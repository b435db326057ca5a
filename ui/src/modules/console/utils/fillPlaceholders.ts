const PLACEHOLDER = /\{\{\s*([a-z_]+(?:\.[a-z_0-9]+)+)\s*(?:\|([^}]*))?\}\}/gi;

export type ScriptPart = { text: string; filled: boolean; missing?: boolean };

function lookup(context: Record<string, unknown>, path: string): string | null {
  let value: unknown = context;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

/**
 * Splits a script into literal text and filled placeholders: `{{contact.first_name}}`, with
 * an optional fallback `{{contact.first_name|there}}`. A value that is missing (and has no
 * fallback) stays visible as `[contact.first_name]` so the agent notices it.
 */
export function fillPlaceholders(template: string, context: Record<string, unknown>): ScriptPart[] {
  const parts: ScriptPart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: template.slice(last, index), filled: false });
    const value = lookup(context, match[1]) ?? match[2]?.trim() ?? null;
    parts.push(
      value === null
        ? { text: `[${match[1]}]`, filled: true, missing: true }
        : { text: value, filled: true },
    );
    last = index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last), filled: false });
  return parts;
}
