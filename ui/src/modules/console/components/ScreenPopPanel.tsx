import type { ScreenPop } from '@/modules/console/types/ScreenPop';
import { formatInZone } from '@/modules/console/utils/zonedTime';

function Field({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined || value === '') return null;
  return (
    <div className="flex gap-2 text-sm">
      <dt className="w-24 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{String(value)}</dd>
    </div>
  );
}

export function ScreenPopPanel({ pop }: { pop: ScreenPop }) {
  const { contact, account } = pop;
  const name = contact.full_name || [contact.first_name, contact.last_name].filter(Boolean).join(' ');
  return (
    <section aria-label="Screen pop" data-testid="screen-pop" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      {pop.suppressions.length ? (
        <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-2 text-sm text-rose-900">
          <strong>Suppressed:</strong>{' '}
          {pop.suppressions.map((s) => `${s.kind} ${s.value}${s.reason ? ` (${s.reason})` : ''}`).join('; ')}
        </div>
      ) : null}
      <div>
        <h2 className="text-xl font-semibold" data-testid="contact-name">{name || 'Unknown contact'}</h2>
        <p className="text-sm text-slate-600">
          {[contact.job_title, account?.name].filter(Boolean).join(' at ')}
        </p>
        <p className="font-mono text-sm">{pop.phone_e164}</p>
      </div>
      <div className="rounded-md bg-slate-50 p-2 text-sm">
        <span className="text-slate-500">Callee local time: </span>
        {pop.callee_times.length
          ? pop.callee_times.map((t) => formatInZone(new Date(), t.zone)).join(' / ')
          : 'unknown'}
        {!pop.window_open ? <span className="ml-2 text-amber-800">(outside the calling window)</span> : null}
      </div>
      <dl className="space-y-0.5">
        <Field label="Email" value={contact.email} />
        <Field label="Department" value={contact.department} />
        <Field label="Seniority" value={contact.seniority_level} />
        <Field label="City" value={[contact.city, contact.state, contact.country].filter(Boolean).join(', ')} />
        <Field label="Consent" value={contact.consent_basis} />
      </dl>
      {account ? (
        <dl className="space-y-0.5 border-t border-slate-100 pt-2">
          <Field label="Account" value={account.name} />
          <Field label="Domain" value={account.domain} />
          <Field label="Industry" value={account.industry} />
          <Field label="Staff" value={account.staff_count} />
          <Field label="HQ" value={[account.hq_city, account.hq_state, account.hq_country].filter(Boolean).join(', ')} />
        </dl>
      ) : null}
      <div className="border-t border-slate-100 pt-2">
        <h3 className="text-sm font-medium">Previous attempts</h3>
        {pop.previous_calls.length ? (
          <ul className="mt-1 space-y-0.5 text-xs text-slate-700">
            {pop.previous_calls.map((call) => (
              <li key={call.id}>
                {new Date(call.started_at).toLocaleString()} — {call.disposition ?? call.status}
                {call.notes ? `: ${call.notes}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">First call to this contact.</p>
        )}
      </div>
    </section>
  );
}
