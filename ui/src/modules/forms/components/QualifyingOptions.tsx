type Props = {
  /** Names the question, e.g. "question 2", for the group's accessible name. */
  question: string;
  options: string[];
  selected: string[];
  error?: string;
  onChange: (selected: string[]) => void;
};

/**
 * Tick boxes for which of a choice question's options qualify a lead: QA scoring gives a
 * non-qualifying answer no points, and one to a required question disqualifies the lead.
 * Nothing ticked keeps the question scored on completeness only.
 */
export function QualifyingOptions({ question, options, selected, error, onChange }: Props) {
  if (!options.length) return null;
  const toggle = (option: string, on: boolean) =>
    onChange(on ? options.filter((o) => o === option || selected.includes(o)) : selected.filter((o) => o !== option));
  return (
    <fieldset className="rounded-md border border-slate-200 px-2 pb-2 text-sm dark:border-slate-700">
      <legend className="px-1 font-medium text-slate-700 dark:text-slate-200">Qualifying answers for {question}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((option) => (
          <label key={option} className="flex items-center gap-1 text-slate-800 dark:text-slate-100">
            <input
              type="checkbox"
              className="accent-sky-700 focus-visible:outline-2 focus-visible:outline-sky-600 dark:accent-sky-400"
              checked={selected.includes(option)}
              onChange={(e) => toggle(option, e.target.checked)}
            />
            {option}
          </label>
        ))}
      </div>
      <p className={`mt-1 text-xs ${error ? 'text-rose-700 dark:text-rose-300' : 'text-slate-600 dark:text-slate-400'}`}>
        {error ?? 'Any other answer scores no points; none ticked: every answer counts.'}
      </p>
    </fieldset>
  );
}
