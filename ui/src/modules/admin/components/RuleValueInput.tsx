import type { Picks } from '@/modules/admin/components/RuleEditor';
import type { ValueType } from '@/modules/admin/types/Automation';
import { humanize } from '@/modules/admin/utils/humanize';
import { Field, INPUT } from '@/modules/forms/components/Field';

type Props = {
  label: string;
  type: ValueType;
  choices: string[];
  value: string;
  onChange: (value: string) => void;
  error?: string;
  picks: Picks;
  optional?: boolean;
  className?: string;
};

/** One typed value: a number, a day, text, one of the choices, yes / no, a user or a webhook subscription. */
export function RuleValueInput({ label, type, choices, value, onChange, error, picks, optional = false, className = 'min-w-44' }: Props) {
  const set = (e: { target: { value: string } }) => onChange(e.target.value);
  const none = optional ? <option value="">(empty)</option> : <option value="">Choose…</option>;
  const control = (() => {
    switch (type) {
      case 'number':
        return <input className={INPUT} type="number" value={value} onChange={set} />;
      case 'date':
        return <input className={INPUT} type="date" value={value} onChange={set} />;
      case 'choice':
        return (
          <select className={INPUT} value={value} onChange={set}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {humanize(c)}
              </option>
            ))}
          </select>
        );
      case 'boolean':
        return (
          <select className={INPUT} value={value} onChange={set}>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        );
      case 'user':
        return (
          <select className={INPUT} value={value} onChange={set}>
            {none}
            {picks.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.full_name} ({u.email})
              </option>
            ))}
          </select>
        );
      case 'subscription':
        return (
          <select className={INPUT} value={value} onChange={set}>
            {none}
            {picks.subscriptions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.url}
              </option>
            ))}
          </select>
        );
      default:
        return <input className={INPUT} value={value} onChange={set} placeholder={optional ? '(empty)' : undefined} />;
    }
  })();
  return (
    <Field label={label} error={error} className={className}>
      {control}
    </Field>
  );
}
