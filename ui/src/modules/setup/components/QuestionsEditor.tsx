import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Question } from '@/modules/console/types/ConsoleKit';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { QualifyingOptions } from '@/modules/forms/components/QualifyingOptions';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { keptQualifying } from '@/modules/forms/utils/keptQualifying';
import { minimumOf } from '@/modules/forms/utils/minimumOf';
import { move, removeAt, replaceAt } from '@/modules/setup/utils/rows';
import { Button } from '@/modules/ui/components/Button';

type Row = {
  key: string;
  label: string;
  answer_type: Question['answer_type'];
  options: string;
  required: boolean;
  qualifying: string[];
  qualifyingMin: string;
};
const TYPES: Question['answer_type'][] = ['radio', 'dropdown', 'checkbox', 'number', 'date', 'text'];

const toRow = (q: Question): Row => ({
  key: q.key,
  label: q.label,
  answer_type: q.answer_type,
  options: q.options.map((o) => (typeof o === 'string' ? o : o.value)).join(', '),
  required: q.required,
  qualifying: (q.qualifying_options ?? []).map(String),
  qualifyingMin: q.qualifying_min == null ? '' : String(q.qualifying_min),
});

const optionList = (row: Pick<Row, 'options'>) => row.options.split(',').map((o) => o.trim()).filter(Boolean);

type Props = { campaignId: number; initial: Question[] };

/** The qualification questions agents fill in, in order. */
export function QuestionsEditor({ campaignId, initial }: Props) {
  const [rows, setRows] = useState<Row[]>(() => initial.map(toRow));
  const submit = useSubmit();
  const err = (i: number, f: string) => fieldMessage(submit.error, `questions.${i}.${f}`) ?? (f === 'key' ? fieldMessage(submit.error, `questions.${i}`) : undefined);
  const edit = (i: number, patch: Partial<Row>) => setRows(replaceAt(rows, i, { ...rows[i], ...patch }));
  const save = () =>
    submit.run(() => {
      const questions = rows.map(({ qualifying, qualifyingMin, ...r }) => ({
        ...r,
        options: optionList(r),
        qualifying_options: keptQualifying(optionList(r), qualifying),
        qualifying_min: r.answer_type === 'number' ? minimumOf(qualifyingMin) : null,
      }));
      return apiFetch(`/campaigns/${campaignId}/questions`, { method: 'PUT', body: { questions } });
    }, 'Questions saved.');
  const shown = rows.flatMap((_, i) => ['key', 'label', 'answer_type', 'options', 'qualifying_options', 'qualifying_min'].map((f) => `questions.${i}.${f}`).concat(`questions.${i}`));

  return (
    <Panel
      title="Qualification questions"
      actions={<Button onClick={() => setRows([...rows, { key: '', label: '', answer_type: 'text', options: '', required: false, qualifying: [], qualifyingMin: '' }])}>Add question</Button>}
    >
      {!rows.length ? <p className="text-sm text-slate-600 dark:text-slate-400">No questions yet.</p> : null}
      <ol className="space-y-3">
        {rows.map((row, i) => (
          <li key={i} className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 p-2 dark:border-slate-700">
            <Field label={`Question ${i + 1} key`} error={err(i, 'key')} className="w-40">
              <input className={INPUT} value={row.key} onChange={(e) => edit(i, { key: e.target.value })} placeholder="budget" />
            </Field>
            <Field label={`Question ${i + 1} text`} error={err(i, 'label')} className="min-w-72 flex-1">
              <input className={INPUT} value={row.label} onChange={(e) => edit(i, { label: e.target.value })} />
            </Field>
            <Field label={`Question ${i + 1} answer type`} error={err(i, 'answer_type')} className="w-36">
              <select className={INPUT} value={row.answer_type} onChange={(e) => edit(i, { answer_type: e.target.value as Row['answer_type'] })}>
                {TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </Field>
            <Field label={`Question ${i + 1} options`} error={err(i, 'options')} hint="Comma separated" className="w-56">
              <input className={INPUT} value={row.options} onChange={(e) => edit(i, { options: e.target.value })} />
            </Field>
            {row.answer_type === 'number' ? (
              <Field label={`Question ${i + 1} qualifying minimum`} error={err(i, 'qualifying_min')} hint="Optional: an answer below it scores no points." className="w-56">
                <input className={INPUT} type="number" value={row.qualifyingMin} onChange={(e) => edit(i, { qualifyingMin: e.target.value })} />
              </Field>
            ) : null}
            <label className="flex items-center gap-1 pb-2 text-sm">
              <input type="checkbox" checked={row.required} onChange={(e) => edit(i, { required: e.target.checked })} />
              Required
            </label>
            <div className="flex gap-1 pb-1">
              <Button aria-label={`Move question ${i + 1} up`} onClick={() => setRows(move(rows, i, -1))}>↑</Button>
              <Button aria-label={`Move question ${i + 1} down`} onClick={() => setRows(move(rows, i, 1))}>↓</Button>
              <Button aria-label={`Remove question ${i + 1}`} onClick={() => setRows(removeAt(rows, i))}>✕</Button>
            </div>
            <div className="basis-full empty:hidden">
              <QualifyingOptions
                question={`question ${i + 1}`}
                options={optionList(row)}
                selected={keptQualifying(optionList(row), row.qualifying)}
                error={err(i, 'qualifying_options')}
                onChange={(qualifying) => edit(i, { qualifying })}
              />
            </div>
          </li>
        ))}
      </ol>
      <Button tone="primary" disabled={submit.busy} onClick={() => void save()}>
        Save questions
      </Button>
      <SubmitStatus submit={submit} shown={shown} />
    </Panel>
  );
}
