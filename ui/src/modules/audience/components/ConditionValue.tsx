import type { FieldInfo, Operator, ValueDraft } from '@/modules/audience/types/Filter';
import { splitItems, valueShape } from '@/modules/audience/utils/filterTree';

type Props = {
  name: string;
  field: FieldInfo;
  operator: Operator;
  value: ValueDraft;
  invalid: boolean;
  describedBy?: string;
  className: string;
  onChange: (value: ValueDraft) => void;
};

/** The value input a field's type and the operator's shape call for. */
export function ConditionValue({ name, field, operator, value, invalid, describedBy, className, onChange }: Props) {
  const shape = valueShape(operator);
  const common = { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, className };
  if (shape === 'none') return null;
  if (shape === 'pair') {
    const [low, high] = Array.isArray(value) ? value : ['', ''];
    return (
      <span className="flex items-center gap-1 text-sm">
        <ScalarInput {...common} field={field} label={`${name} from`} value={low} onChange={(v) => onChange([v, high])} />
        and
        <ScalarInput {...common} field={field} label={`${name} to`} value={high} onChange={(v) => onChange([low, v])} />
      </span>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (shape === 'many' && field.options.length) {
    const picked = new Set(splitItems(text));
    return (
      <fieldset className="flex flex-wrap gap-2 text-sm" aria-describedby={describedBy}>
        <legend className="sr-only">{`${name} values`}</legend>
        {field.options.map((option) => (
          <label key={option} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={picked.has(option)}
              onChange={(e) => {
                const next = field.options.filter((o) => (o === option ? e.target.checked : picked.has(o)));
                onChange(next.join(', '));
              }}
            />
            {option}
          </label>
        ))}
      </fieldset>
    );
  }
  if (shape === 'many') {
    return (
      <textarea
        {...common}
        aria-label={`${name} values`}
        placeholder="values, separated by commas or lines"
        rows={Math.min(4, Math.max(1, text.split('\n').length))}
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return <ScalarInput {...common} field={field} label={`${name} value`} value={text} onChange={onChange} />;
}

type ScalarProps = {
  field: FieldInfo;
  label: string;
  value: string;
  className: string;
  onChange: (value: string) => void;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
};

function ScalarInput({ field, label, value, onChange, ...rest }: ScalarProps) {
  if (field.type === 'boolean') {
    return (
      <select {...rest} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (field.type === 'enum' && field.options.length) {
    return (
      <select {...rest} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">choose…</option>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  // Numbers stay text inputs so what was typed (and why it is wrong) stays visible.
  const type = field.type === 'date' ? 'date' : 'text';
  return (
    <input
      {...rest}
      type={type}
      inputMode={field.type === 'number' ? 'decimal' : undefined}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
