/** A field or action name in words: `job_title` → `job title`, `update_field` → `update field`. */
export function humanize(name: string): string {
  return name.replace(/_id$/, '').replaceAll('_', ' ');
}
