import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { DispositionOption, DispositionRule } from '@/modules/console/types/ConsoleKit';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { removeAt, replaceAt } from '@/modules/setup/utils/rows';
import { Button } from '@/modules/ui/components/Button';

type Row = { code: string; label: string; rule: DispositionRule; retry_outcome: string; shortcut: string };

/** What each queue rule does to the lead, in words for the manager. */
const RULES: Record<DispositionRule, string> = {
  qualified: 'Qualified: close, create a lead for QA',
  callback: 'Callback: call again at the agreed time',
  retry: 'Retry: dial again after the retry delay',
  not_interested: 'Not interested: close',
  close: 'Close the lead',
  wrong_number: 'Wrong number: close',
  dnc: 'Do not call: suppress the number, close',
};
const OUTCOMES = ['busy', 'no_answer', 'machine', 'failed'];

type Props = { campaignId: number; initial: (DispositionOption & { retry_outcome?: string | null })[] };

/** The dispositions agents choose from, each with its queue rule and shortcut digit. */
export function DispositionsEditor({ campaignId, initial }: Props) {
  const [rows, setRows] = useState<Row[]>(() =>
    initial.map((d) => ({ code: d.code, label: d.label, rule: d.rule, retry_outcome: d.retry_outcome ?? '', shortcut: d.shortcut ?? '' })),
  );
  const submit = useSubmit();
  const err = (i: number, f: string) => fieldMessage(submit.error, `dispositions.${i}.${f}`) ?? (f === 'rule' ? fieldMessage(submit.error, `dispositions.${i}`) : undefined);
  const edit = (i: number, patch: Partial<Row>) => setRows(replaceAt(rows, i, { ...rows[i], ...patch }));
  const save = () =>
    submit.run(() => {
      const dispositions = rows.map((r) => ({
        code: r.code,
        label: r.label,
        rule: r.rule,
        retry_outcome: r.rule === 'retry' ? r.retry_outcome || null : null,
        shortcut: r.shortcut || null,
      }));
      return apiFetch(`/campaigns/${campaignId}/dispositions`, { method: 'PUT', body: { dispositions } });
    }, 'Dispositions saved.');
  const shown = rows.flatMap((_, i) => ['code', 'label', 'rule', 'retry_outcome', 'shortcut'].map((f) => `dispositions.${i}.${f}`).concat(`dispositions.${i}`));

  return (
    <Panel
      title="Dispositions and queue rules"
      actions={<Button onClick={() => setRows([...rows, { code: '', label: '', rule: 'close', retry_outcome: '', shortcut: '' }])}>Add disposition</Button>}
    >
      <ul className="space-y-2">
        {rows.map((row, i) => (
          <li key={i} className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 p-2 dark:border-slate-700">
            <Field label={`Disposition ${i + 1} code`} error={err(i, 'code')} className="w-40">
              <input className={INPUT} value={row.code} onChange={(e) => edit(i, { code: e.target.value })} />
            </Field>
            <Field label={`Disposition ${i + 1} label`} error={err(i, 'label')} className="w-44">
              <input className={INPUT} value={row.label} onChange={(e) => edit(i, { label: e.target.value })} />
            </Field>
            <Field label={`Disposition ${i + 1} queue rule`} error={err(i, 'rule')} className="w-80">
              <select className={INPUT} value={row.rule} onChange={(e) => edit(i, { rule: e.target.value as DispositionRule })}>
                {Object.entries(RULES).map(([rule, text]) => (
                  <option key={rule} value={rule}>
                    {text}
                  </option>
                ))}
              </select>
            </Field>
            {row.rule === 'retry' ? (
              <Field label={`Disposition ${i + 1} retry delay`} error={err(i, 'retry_outcome')} className="w-40">
                <select className={INPUT} value={row.retry_outcome} onChange={(e) => edit(i, { retry_outcome: e.target.value })}>
                  <option value="">Choose…</option>
                  {OUTCOMES.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              </Field>
            ) : null}
            <Field label={`Disposition ${i + 1} key`} error={err(i, 'shortcut')} className="w-24">
              <input className={INPUT} value={row.shortcut} maxLength={1} inputMode="numeric" onChange={(e) => edit(i, { shortcut: e.target.value })} />
            </Field>
            <Button aria-label={`Remove disposition ${i + 1}`} className="mb-1" onClick={() => setRows(removeAt(rows, i))}>
              ✕
            </Button>
          </li>
        ))}
      </ul>
      <p className="text-sm text-slate-600 dark:text-slate-400">A default disposition whose code is not listed here stays available to agents.</p>
      <Button tone="primary" disabled={submit.busy} onClick={() => void save()}>
        Save dispositions
      </Button>
      <SubmitStatus submit={submit} shown={shown} />
    </Panel>
  );
}
