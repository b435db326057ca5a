import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import type { Preflight } from '@/modules/setup/types/Email';
import { Button } from '@/modules/ui/components/Button';

/** Why the pre-send guard would leave a contact out (docs/email.md, "The pre-send guard"). */
export const REASONS: Record<string, string> = {
  missing_email: 'No email address',
  invalid: 'Invalid address (syntax or verification)',
  bounced: 'Bounced before',
  complained: 'Complained before',
  unsubscribed: 'Unsubscribed',
  suppressed_email: 'Address on a suppression list',
  suppressed_domain: 'Domain on a suppression list',
  frequency_cap: 'Over the frequency cap',
};

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
            <table className="text-left" aria-label="Exclusions by reason">
              <thead>
                <tr>
                  <th className="pr-4">Reason</th>
                  <th>Contacts</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(result.excluded).map(([reason, count]) => (
                  <tr key={reason} data-testid={`excluded-${reason}`}>
                    <td className="pr-4">{REASONS[reason] ?? reason}</td>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result.items.length ? (
            <details>
              <summary className="cursor-pointer font-medium">Excluded contacts ({result.items.length})</summary>
              <table className="mt-2 w-full text-left">
                <thead>
                  <tr>
                    <th>Contact</th>
                    <th>Email</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((item) => (
                    <tr key={item.contact_id} className="border-t border-slate-200 dark:border-slate-700">
                      <td>#{item.contact_id}</td>
                      <td>{item.email ?? '—'}</td>
                      <td>{REASONS[item.reason] ?? item.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}
