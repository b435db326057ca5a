import { apiFetch } from '@/modules/api/utils/apiFetch';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import type { Preflight } from '@/modules/setup/types/Email';
import { exclusionLabel } from '@/modules/setup/utils/exclusionReasons';
import { Button } from '@/modules/ui/components/Button';

type Props = { campaignId: number; result: Preflight | null; onResult: (result: Preflight) => void };

/** What launching now would do: who is excluded and why, and what is still missing. */
export function PreflightPanel({ campaignId, result, onResult }: Props) {
  const submit = useSubmit();
  const check = async () => {
    const answer = await submit.run(() => apiFetch<Preflight>(`/email-campaigns/${campaignId}/preflight`, { method: 'POST' }));
    if (answer) onResult(answer);
  };
  return (
    <Panel title="Pre-flight checklist" actions={<Button onClick={() => void check()} disabled={submit.busy}>Run pre-flight</Button>}>
      <SubmitStatus submit={submit} />
      {!result ? <p className="text-sm text-slate-600 dark:text-slate-400">Run the pre-flight to see who would get the mail. Nothing is sent.</p> : null}
      {result ? (
        <div data-testid="preflight" className="space-y-3 text-sm">
          <p>
            <strong>{result.ready ? 'Ready to launch.' : 'Not ready yet.'}</strong> Audience {result.audience}, would send to{' '}
            <span data-testid="preflight-sendable">{result.sendable}</span>, excluded {result.audience - result.sendable}.
          </p>
          {result.problems.length ? (
            <ul className="list-disc pl-5 text-rose-800 dark:text-rose-200" aria-label="What is missing">
              {result.problems.map((p) => (
                <li key={p.field + p.message}>{p.message}</li>
              ))}
            </ul>
          ) : null}
          {Object.keys(result.excluded).length ? (
            <DataTable
              caption="Exclusions by reason"
              columns={[
                { header: 'Reason', cell: ([reason]) => exclusionLabel(reason) },
                { header: 'Contacts', cell: ([, count]) => count, className: 'tabular-nums' },
              ]}
              rows={Object.entries(result.excluded)}
              rowKey={([reason]) => reason}
              rowTestId={([reason]) => `excluded-${reason}`}
            />
          ) : null}
          {result.items.length ? (
            <details>
              <summary className="cursor-pointer font-medium">Excluded contacts ({result.items.length})</summary>
              <DataTable
                caption="Excluded contacts"
                columns={[
                  { header: 'Contact', cell: (item) => `#${item.contact_id}` },
                  { header: 'Email', cell: (item) => item.email ?? '—' },
                  { header: 'Why', cell: (item) => exclusionLabel(item.reason) },
                ]}
                rows={result.items}
                rowKey={(item) => item.contact_id}
              />
            </details>
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}
