/** The filter language of the API (engine/filters.py, docs/api.md "The filter language"). */
export type FieldType = 'text' | 'number' | 'date' | 'enum' | 'list' | 'boolean';

export type Operator =
  | 'equals'
  | 'not_equals'
  | 'contains'
  | 'starts_with'
  | 'ends_with'
  | 'in'
  | 'not_in'
  | 'is_empty'
  | 'has_value'
  | 'gt'
  | 'lt'
  | 'between'
  | 'before'
  | 'after';

/** A filterable field as `GET /audience/fields` lists it. */
export type FieldInfo = {
  name: string;
  entity: 'contact' | 'account';
  type: FieldType;
  operators: Operator[];
  /** An enum's values; empty: any text. */
  options: string[];
};

/**
 * What the user is typing for a condition: one text, a [low, high] pair (between) or none
 * (is_empty, has_value). Lists (in, not_in) are one text of comma- or line-separated items,
 * so typing a separator loses nothing; they are split when serialised.
 */
export type ValueDraft = string | [string, string] | null;

export type ConditionNode = {
  kind: 'condition';
  id: string;
  field: string;
  operator: Operator;
  value: ValueDraft;
};

export type GroupNode = {
  kind: 'group';
  id: string;
  op: 'and' | 'or';
  children: FilterNode[];
};

export type FilterNode = ConditionNode | GroupNode;

/** The API's filter JSON. */
export type ApiCondition = { field: string; operator: Operator; value?: unknown };
export type ApiGroup = { op: 'and' | 'or'; conditions: (ApiCondition | ApiGroup)[] };
