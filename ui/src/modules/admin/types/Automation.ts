/** GET /automation/catalogue: what a rule may say, from the engine's definitions. */
export type ValueType = 'text' | 'number' | 'date' | 'choice' | 'boolean' | 'user' | 'subscription';
export type FieldSpec = { name: string; type: ValueType; choices: string[]; operators: { op: string; label: string }[] };
export type ParamSpec = { name: string; type: ValueType; choices: string[]; required: boolean };
export type ActionSpec = { type: string; params: ParamSpec[] };
export type TriggerSpec = { trigger: string; record_type: string; fields: FieldSpec[]; actions: ActionSpec[] };
export type Catalogue = { triggers: TriggerSpec[] };

/** GET /automation-rules */
export type Rule = {
  id: number;
  name: string;
  trigger: string;
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  active: boolean;
};

/** The editor's rows: every value as the text its input holds; a list operator's values as a list. */
export type ConditionRow = { field: string; op: string; value: string; values: string[] };
export type ActionRow = { type: string; params: Record<string, string> };
/** `any`: the conditions are sent as one OR group (`{"any": [...]}`), else all must hold. */
export type Match = 'all' | 'any';
export type RuleDraft = { name: string; trigger: string; match: Match; conditions: ConditionRow[]; actions: ActionRow[] };
