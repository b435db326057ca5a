import { useRef, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { fillPlaceholders } from '@/modules/console/utils/fillPlaceholders';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { PLACEHOLDER_GROUPS, insertPlaceholder } from '@/modules/setup/utils/placeholders';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { usePreviewContext } from '@/modules/setup/hooks/usePreviewContext';
import type { ContactOption } from '@/modules/setup/types/Email';
import { Button } from '@/modules/ui/components/Button';

type Props = { campaignId: number; initial: string };

/** The agent's script: a placeholder picker that inserts at the caret, and a live preview. */
export function ScriptEditor({ campaignId, initial }: Props) {
  const [body, setBody] = useState(initial);
  const [field, setField] = useState(PLACEHOLDER_GROUPS[0].fields[0]);
  const area = useRef<HTMLTextAreaElement>(null);
  const submit = useSubmit();
  const [previewId, setPreviewId] = useState('');
  const contacts = useApiResource<Page<ContactOption>>('/contacts?limit=100');
  const preview = usePreviewContext(previewId);

  const insert = () => {
    const box = area.current;
    const next = insertPlaceholder(body, box?.selectionStart ?? body.length, box?.selectionEnd ?? body.length, field);
    setBody(next.text);
    // Back to the text, caret after the placeholder, once React has put the new value in.
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(next.caret, next.caret);
    });
  };

  return (
    <Panel title="Script">
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-2">
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Placeholder" className="min-w-56">
              <select className={INPUT} value={field} onChange={(e) => setField(e.target.value)}>
                {PLACEHOLDER_GROUPS.map((g) => (
                  <optgroup key={g.group} label={g.group}>
                    {g.fields.map((f) => (
                      <option key={f} value={f}>
                        {`{{${f}}}`}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </Field>
            <Button onClick={insert}>Insert placeholder</Button>
          </div>
          <Field label="Script text" hint="A default after a bar: {{contact.first_name|there}}.">
            <textarea ref={area} className={`${INPUT} h-56 font-mono`} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
          <Button
            tone="primary"
            disabled={submit.busy}
            onClick={() =>
              void submit.run(
                () => apiFetch<{ version: number }>(`/campaigns/${campaignId}/script`, { method: 'PUT', body: { body } }),
                'Script saved: agents get it with their next call.',
              )
            }
          >
            Save script
          </Button>
          <SubmitStatus submit={submit} />
        </div>
        <div>
          <Field label="Preview with" hint={preview.error?.message ?? contacts.error?.message} className="mb-2 max-w-md">
            <select className={INPUT} value={previewId} onChange={(e) => setPreviewId(e.target.value)}>
              <option value="">Sample contact (Dana Reyes)</option>
              {(contacts.data?.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.full_name ?? '(no name)'} — {c.email ?? 'no email'}
                </option>
              ))}
            </select>
          </Field>
          <div data-testid="script-preview" aria-live="polite" className="min-h-56 whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-950">
            {fillPlaceholders(body, preview.context).map((part, i) => (
              <span key={i} className={part.missing ? 'bg-amber-200 text-amber-950' : part.filled ? 'bg-sky-100 text-sky-950 dark:bg-sky-900 dark:text-sky-50' : ''}>
                {part.text}
              </span>
            ))}
          </div>
        </div>
      </div>
    </Panel>
  );
}
