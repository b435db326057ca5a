/** The few fields a client may narrow "all contacts" by (the full builder is staff-only). */
export type SimpleFilter = { job_title: string; seniority_level: string; industry: string; country: string };

export const EMPTY_FILTER: SimpleFilter = { job_title: '', seniority_level: '', industry: '', country: '' };

type Condition = { field: string; operator: string; value: string };

/** The filter language's group: every filled field must match; none filled is everyone. */
export function toFilter(filter: SimpleFilter): { op: 'and'; conditions: Condition[] } {
  const conditions: Condition[] = [];
  const add = (field: string, operator: string, value: string) => {
    if (value.trim()) conditions.push({ field, operator, value: value.trim() });
  };
  add('contact.job_title', 'contains', filter.job_title);
  add('contact.seniority_level', 'equals', filter.seniority_level);
  add('account.industry', 'equals', filter.industry);
  add('contact.country', 'equals', filter.country);
  return { op: 'and', conditions };
}

/** Reads back a filter made by `toFilter` (anything else shows as empty fields). */
export function fromFilter(raw: unknown): SimpleFilter {
  const result = { ...EMPTY_FILTER };
  const conditions = (raw as { conditions?: Condition[] } | null)?.conditions ?? [];
  for (const c of conditions) {
    const key = c.field.split('.')[1] as keyof SimpleFilter;
    if (key in result && typeof c.value === 'string') result[key] = c.value;
  }
  return result;
}
