import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { LoadState } from '@/modules/forms/components/LoadState';
import { Panel } from '@/modules/forms/components/Panel';
import type { SinkMail } from '@/modules/sink/types/SinkMail';
import { Button } from '@/modules/ui/components/Button';

/** One received mail: its headers, text part, HTML part (in a sandboxed frame: no script, no
 *  request leaves it) and raw source. */
export function SentMailDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const mail = useApiResource<SinkMail>(`/email/sink/messages/${encodeURIComponent(id)}`);
  return (
    <Panel title={mail.data ? mail.data.subject || '(no subject)' : 'Mail'} actions={<Button onClick={onClose}>Close</Button>}>
      <LoadState loading={mail.loading && !mail.data} error={mail.error} />
      {mail.data ? (
        <div className="space-y-3 text-sm">
          <table data-testid="mail-headers" className="w-full text-left">
            <tbody>
              {mail.data.headers.map(([name, value], n) => (
                <tr key={`${name}-${n}`} className="border-t border-slate-200 align-top dark:border-slate-700">
                  <th scope="row" className="w-48 py-1 pr-2 font-mono font-normal whitespace-nowrap">
                    {name}
                  </th>
                  <td className="font-mono text-xs break-all">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mail.data.html !== null ? (
            <section>
              <h3 className="font-semibold">HTML part</h3>
              <iframe title="HTML part" sandbox="" srcDoc={mail.data.html} className="h-80 w-full rounded border border-slate-300 bg-white dark:border-slate-700" />
            </section>
          ) : null}
          {mail.data.text !== null ? (
            <section>
              <h3 className="font-semibold">Text part</h3>
              <pre data-testid="mail-text" className="overflow-x-auto rounded bg-slate-100 p-2 whitespace-pre-wrap dark:bg-slate-800">
                {mail.data.text}
              </pre>
            </section>
          ) : null}
          <details>
            <summary className="cursor-pointer font-semibold">Raw source</summary>
            <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{mail.data.raw}</pre>
          </details>
        </div>
      ) : null}
    </Panel>
  );
}
