export type QuestionOption = string | { value: string; label?: string };

export type Question = {
  key: string;
  label: string;
  answer_type: 'radio' | 'dropdown' | 'checkbox' | 'text' | 'number' | 'date';
  options: QuestionOption[];
  required: boolean;
  /** The options that qualify a lead for QA scoring (set up in the campaign's questions). */
  qualifying_options?: string[];
  /** For a number question: the smallest answer that qualifies. */
  qualifying_min?: number | null;
};

export type DispositionRule =
  | 'dnc'
  | 'not_interested'
  | 'callback'
  | 'qualified'
  | 'retry'
  | 'close'
  | 'wrong_number';

export type DispositionOption = {
  code: string;
  label: string;
  rule: DispositionRule;
  shortcut: string | null;
};

/** GET /campaigns/{id}/console-kit */
export type ConsoleKit = {
  campaign_id: number;
  name: string;
  status: string;
  topic: string | null;
  wrap_up_seconds: number;
  script: string;
  questions: Question[];
  dispositions: DispositionOption[];
};

export type Answers = Record<string, unknown>;
