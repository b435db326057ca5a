import type { FieldInfo } from '@/modules/audience/types/Filter';

/** A slice of what `GET /audience/fields` answers. */
export const FIELDS: FieldInfo[] = [
  { name: 'contact.job_title', entity: 'contact', type: 'text', operators: ['equals', 'not_equals', 'contains', 'starts_with', 'ends_with', 'in', 'not_in', 'is_empty', 'has_value'], options: [] },
  { name: 'contact.city', entity: 'contact', type: 'text', operators: ['equals', 'not_equals', 'contains', 'starts_with', 'ends_with', 'in', 'not_in', 'is_empty', 'has_value'], options: [] },
  { name: 'account.staff_count', entity: 'account', type: 'number', operators: ['equals', 'not_equals', 'in', 'not_in', 'is_empty', 'has_value', 'gt', 'lt', 'between'], options: [] },
  { name: 'contact.created_at', entity: 'contact', type: 'date', operators: ['equals', 'not_equals', 'is_empty', 'has_value', 'between', 'before', 'after'], options: [] },
  { name: 'contact.phone_status', entity: 'contact', type: 'enum', operators: ['equals', 'not_equals', 'in', 'not_in', 'is_empty', 'has_value'], options: ['valid', 'invalid', 'missing'] },
  { name: 'account.tech_stack', entity: 'account', type: 'list', operators: ['contains', 'in', 'not_in', 'is_empty', 'has_value'], options: [] },
  { name: 'contact.custom.vip', entity: 'contact', type: 'boolean', operators: ['equals', 'is_empty', 'has_value'], options: [] },
];

export const field = (name: string): FieldInfo => {
  const found = FIELDS.find((f) => f.name === name);
  if (!found) throw new Error(name);
  return found;
};
