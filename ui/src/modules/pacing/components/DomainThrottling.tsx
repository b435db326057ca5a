type Props = { limits: Record<string, number>; throttled: string[] };

/** Each recipient domain with its own limit, and whether messages to it are held back now. */
export function DomainThrottling({ limits, throttled }: Props) {
  const domains = Object.keys(limits).sort();
  if (domains.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="throttled-domains">
        No per-domain limits: every recipient domain goes at the campaign's rate.
      </p>
    );
  }
  return (
    <table className="text-sm" data-testid="throttled-domains">
      <caption className="text-left font-medium">Per-recipient-domain throttling</caption>
      <thead className="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">
        <tr>
          <th scope="col" className="pr-6 py-1">Domain</th>
          <th scope="col" className="pr-6 py-1 text-right">Limit / min</th>
          <th scope="col" className="py-1">Now</th>
        </tr>
      </thead>
      <tbody>
        {domains.map((domain) => {
          const held = throttled.includes(domain);
          return (
            <tr key={domain} data-testid={`domain-${domain}`}>
              <th scope="row" className="pr-6 py-1 text-left font-normal">{domain}</th>
              <td className="pr-6 py-1 text-right tabular-nums">{limits[domain]}</td>
              <td className="py-1">
                <span className={`rounded px-1.5 py-0.5 text-xs ${held ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'}`}>
                  {held ? 'throttled' : 'flowing'}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
