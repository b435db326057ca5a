import type {
  ApiCondition,
  ApiGroup,
  ConditionNode,
  FieldInfo,
  FilterNode,
  GroupNode,
  Operator,
  ValueDraft,
} from '@/modules/audience/types/Filter';

/** The API's limits (engine/filters.py). */
export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 100;
export const MAX_TEXT = 500;
export const MAX_IN_VALUES = 10_000;

export type Catalogue = Map<string, FieldInfo>;
export type ValueShape = 'none' | 'single' | 'pair' | 'many';

let lastId = 0;
const nextId = () => `n${(lastId += 1)}`;

export function catalogueOf(fields: FieldInfo[]): Catalogue {
  return new Map(fields.map((field) => [field.name, field]));
}

export function valueShape(operator: Operator): ValueShape {
  if (operator === 'is_empty' || operator === 'has_value') return 'none';
  if (operator === 'between') return 'pair';
  if (operator === 'in' || operator === 'not_in') return 'many';
  return 'single';
}

function emptyValue(shape: ValueShape, field: FieldInfo): ValueDraft {
  if (shape === 'none') return null;
  if (shape === 'pair') return ['', ''];
  return field.type === 'boolean' ? 'true' : '';
}

export function newGroup(op: 'and' | 'or' = 'and', children: FilterNode[] = []): GroupNode {
  return { kind: 'group', id: nextId(), op, children };
}

export function newCondition(field: FieldInfo): ConditionNode {
  const operator = field.operators[0];
  return { kind: 'condition', id: nextId(), field: field.name, operator, value: emptyValue(valueShape(operator), field) };
}

/** The tree with `fn` applied to the node `id` (a null answer removes it). */
function mapNode(node: FilterNode, id: string, fn: (found: FilterNode) => FilterNode | null): FilterNode | null {
  if (node.id === id) return fn(node);
  if (node.kind === 'condition') return node;
  const children: FilterNode[] = [];
  for (const child of node.children) {
    const mapped = mapNode(child, id, fn);
    if (mapped) children.push(mapped);
  }
  // A nested group left empty goes too: the API refuses empty nested groups.
  if (children.length === 0 && node.children.length > 0) return null;
  return { ...node, children };
}

function edit(root: GroupNode, id: string, fn: (found: FilterNode) => FilterNode | null): GroupNode {
  const mapped = mapNode(root, id, fn);
  return mapped && mapped.kind === 'group' ? mapped : { ...root, children: [] };
}

export function addCondition(root: GroupNode, groupId: string, field: FieldInfo): GroupNode {
  return edit(root, groupId, (node) =>
    node.kind === 'group' ? { ...node, children: [...node.children, newCondition(field)] } : node,
  );
}

/** A nested group starts with one condition (and the opposite operator, the usual intent). */
export function addGroup(root: GroupNode, groupId: string, field: FieldInfo): GroupNode {
  return edit(root, groupId, (node) =>
    node.kind === 'group'
      ? { ...node, children: [...node.children, newGroup(node.op === 'and' ? 'or' : 'and', [newCondition(field)])] }
      : node,
  );
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  if (id === root.id) return { ...root, children: [] };
  return edit(root, id, () => null);
}

export function setGroupOp(root: GroupNode, id: string, op: 'and' | 'or'): GroupNode {
  return edit(root, id, (node) => (node.kind === 'group' ? { ...node, op } : node));
}

/** A new field keeps the operator when it still applies, and the value when its type is the same. */
export function setField(root: GroupNode, id: string, field: FieldInfo, previous?: FieldInfo): GroupNode {
  return edit(root, id, (node) => {
    if (node.kind !== 'condition') return node;
    const operator = field.operators.includes(node.operator) ? node.operator : field.operators[0];
    const keep = previous?.type === field.type && operator === node.operator && field.type !== 'enum';
    return { ...node, field: field.name, operator, value: keep ? node.value : emptyValue(valueShape(operator), field) };
  });
}

/** A new operator converts what was typed to its shape: a single value becomes the low end
 * or the first item, and back. */
export function setOperator(root: GroupNode, id: string, operator: Operator, field: FieldInfo): GroupNode {
  return edit(root, id, (node) => {
    if (node.kind !== 'condition') return node;
    const value = convertValue(node.value, valueShape(node.operator), valueShape(operator), field);
    return { ...node, operator, value };
  });
}

function convertValue(value: ValueDraft, from: ValueShape, to: ValueShape, field: FieldInfo): ValueDraft {
  if (from === to) return value;
  const text = typeof value === 'string' ? value : '';
  const first = Array.isArray(value) ? value[0] : from === 'many' ? (splitItems(text)[0] ?? '') : text;
  if (to === 'none') return null;
  if (to === 'pair') return [first, ''];
  return first || emptyValue(to, field);
}

export function setValue(root: GroupNode, id: string, value: ValueDraft): GroupNode {
  return edit(root, id, (node) => (node.kind === 'condition' ? { ...node, value } : node));
}

/** Items of a list value: separated by commas or lines, trimmed, blanks dropped. */
export function splitItems(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

// --- validation ------------------------------------------------------------------------------

/** Every problem of the tree, by node id, in words; an empty object means it can be sent. */
export function validateTree(root: GroupNode, catalogue: Catalogue): Record<string, string> {
  const errors: Record<string, string> = {};
  let conditions = 0;
  const walk = (node: FilterNode, depth: number) => {
    if (node.kind === 'group') {
      if (depth > MAX_DEPTH) errors[node.id] = `Groups nest at most ${MAX_DEPTH} deep.`;
      else if (depth > 1 && node.children.length === 0) errors[node.id] = 'A nested group needs at least one condition.';
      node.children.forEach((child) => walk(child, depth + 1));
      return;
    }
    conditions += 1;
    if (conditions > MAX_CONDITIONS) {
      errors[node.id] = `A filter has at most ${MAX_CONDITIONS} conditions.`;
      return;
    }
    const problem = conditionError(node, catalogue.get(node.field));
    if (problem) errors[node.id] = problem;
  };
  walk(root, 1);
  return errors;
}

function conditionError(node: ConditionNode, field: FieldInfo | undefined): string | null {
  if (!field) return `Unknown field ${node.field}.`;
  if (!field.operators.includes(node.operator)) return `${label(node.operator)} does not apply to ${field.type} fields.`;
  const shape = valueShape(node.operator);
  if (shape === 'none') return null;
  if (shape === 'pair') {
    const [low, high] = Array.isArray(node.value) ? node.value : ['', ''];
    const problem = scalarError(field, low) ?? scalarError(field, high);
    if (problem) return problem;
    return compare(field, low, high) > 0 ? 'The low end is above the high end.' : null;
  }
  const text = typeof node.value === 'string' ? node.value : '';
  if (shape === 'many') {
    const items = splitItems(text);
    if (items.length === 0) return 'Enter at least one value.';
    if (items.length > MAX_IN_VALUES) return `At most ${MAX_IN_VALUES} values.`;
    for (const item of items) {
      const problem = scalarError(field, item);
      if (problem) return `${item}: ${problem}`;
    }
    return null;
  }
  return scalarError(field, text);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

function scalarError(field: FieldInfo, raw: string): string | null {
  const text = raw.trim();
  if (text === '') return 'Enter a value.';
  switch (field.type) {
    case 'number':
      return Number.isFinite(Number(text)) ? null : 'Enter a number.';
    case 'date':
      return isCalendarDate(text) ? null : 'Enter a date as YYYY-MM-DD.';
    case 'enum':
      return field.options.length && !field.options.includes(text) ? `Pick one of ${field.options.join(', ')}.` : null;
    case 'boolean':
      return text === 'true' || text === 'false' ? null : 'Pick yes or no.';
    default:
      return text.length > MAX_TEXT ? `At most ${MAX_TEXT} characters.` : null;
  }
}

function compare(field: FieldInfo, low: string, high: string): number {
  if (field.type === 'number') return Number(low) - Number(high);
  return low.trim() < high.trim() ? -1 : low.trim() > high.trim() ? 1 : 0;
}

// --- to and from the API's JSON ----------------------------------------------------------------

function scalar(field: FieldInfo, raw: string): unknown {
  const text = raw.trim();
  if (field.type === 'number') return Number(text);
  if (field.type === 'boolean') return text === 'true';
  return text;
}

/** The API's filter JSON of a tree that `validateTree` passes. */
export function toApiFilter(root: GroupNode, catalogue: Catalogue): ApiGroup {
  const convert = (node: FilterNode): ApiGroup | ApiCondition => {
    if (node.kind === 'group') return { op: node.op, conditions: node.children.map(convert) };
    const field = catalogue.get(node.field);
    const out: ApiCondition = { field: node.field, operator: node.operator };
    if (!field) return out;
    const shape = valueShape(node.operator);
    if (shape === 'pair' && Array.isArray(node.value)) out.value = node.value.map((v) => scalar(field, v));
    else if (shape === 'many' && typeof node.value === 'string') out.value = splitItems(node.value).map((v) => scalar(field, v));
    else if (shape === 'single' && typeof node.value === 'string') out.value = scalar(field, node.value);
    return out;
  };
  return convert(root) as ApiGroup;
}

/** The API's JSON of the tree, or null while it does not validate. */
export function apiFilterOrNull(root: GroupNode, catalogue: Catalogue): ApiGroup | null {
  return Object.keys(validateTree(root, catalogue)).length ? null : toApiFilter(root, catalogue);
}

/** A tree from the API's JSON (a saved segment): a lone condition becomes a group of one. */
export function fromApiFilter(raw: ApiGroup | ApiCondition): GroupNode {
  const convert = (node: ApiGroup | ApiCondition): FilterNode => {
    if ('conditions' in node) return newGroup(node.op, node.conditions.map(convert));
    return { kind: 'condition', id: nextId(), field: node.field, operator: node.operator, value: draftOf(node) };
  };
  const tree = convert(raw);
  return tree.kind === 'group' ? tree : newGroup('and', [tree]);
}

function draftOf(node: ApiCondition): ValueDraft {
  const shape = valueShape(node.operator);
  const text = (value: unknown) => String(value ?? '');
  if (shape === 'none') return null;
  if (shape === 'pair') {
    const [low, high] = Array.isArray(node.value) ? node.value : [];
    return [text(low), text(high)];
  }
  if (shape === 'many') return Array.isArray(node.value) ? node.value.map(text).join(', ') : text(node.value);
  return text(node.value);
}

// --- words -----------------------------------------------------------------------------------

const OPERATOR_LABELS: Record<Operator, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  starts_with: 'starts with',
  ends_with: 'ends with',
  in: 'is any of',
  not_in: 'is none of',
  is_empty: 'is empty',
  has_value: 'has a value',
  gt: 'is more than',
  lt: 'is less than',
  between: 'is between',
  before: 'is before',
  after: 'is after',
};

const LIST_LABELS: Partial<Record<Operator, string>> = {
  contains: 'has',
  in: 'has any of',
  not_in: 'has none of',
};

export function label(operator: Operator, field?: FieldInfo): string {
  return (field?.type === 'list' ? LIST_LABELS[operator] : undefined) ?? OPERATOR_LABELS[operator];
}

/** `contact.job_title` → "job title"; `contact.custom.seats` → "seats (custom)". */
export function fieldLabel(name: string): string {
  const [, ...rest] = name.split('.');
  const custom = rest[0] === 'custom';
  const words = (custom ? rest.slice(1) : rest).join('.').replace(/_e164$/, '').replace(/_/g, ' ');
  return custom ? `${words} (custom)` : words;
}
