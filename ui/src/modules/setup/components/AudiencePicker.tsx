import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import type { Audience, Named } from '@/modules/setup/types/Campaign';

type Source = 'none' | 'all_contacts' | 'segment_id' | 'list_id' | 'domain_set_id';

const PATHS: Record<string, string> = {
  segment_id: '/segments?limit=500',
  list_id: '/lists?limit=500',
  domain_set_id: '/domain-sets?limit=500',
};
const LABELS: Record<Source, string> = {
  none: 'Nobody yet',
  all_contacts: 'All contacts',
  segment_id: 'A segment',
  list_id: 'A list',
  domain_set_id: 'A domain set',
};

type Props = { value: Audience; onChange: (next: Audience) => void; sources: Source[]; error?: string };

export function sourceOf(audience: Audience): Source {
  if (audience.all_contacts) return 'all_contacts';
  // A key present without a value: the source is chosen, the item not yet.
  if ('segment_id' in audience) return 'segment_id';
  if ('list_id' in audience) return 'list_id';
  if ('domain_set_id' in audience) return 'domain_set_id';
  return 'none';
}

/** Picks the campaign's audience: an existing segment, list or domain set (built elsewhere). */
export function AudiencePicker({ value, onChange, sources, error }: Props) {
  const source = sourceOf(value);
  const path = source in PATHS ? PATHS[source] : null;
  const options = useApiResource<Page<Named>>(path);
  const chosen = source in PATHS ? (value as Record<string, number | undefined>)[source] : undefined;
  return (
    <div className="flex flex-wrap gap-3">
      <Field label="Audience source" error={error} className="min-w-48">
        <select
          className={INPUT}
          value={source}
          onChange={(e) => {
            const next = e.target.value as Source;
            if (next === 'all_contacts') onChange({ all_contacts: true });
            else onChange(next === 'none' ? {} : ({ [next]: undefined } as Audience));
          }}
        >
          {sources.map((s) => (
            <option key={s} value={s}>
              {LABELS[s]}
            </option>
          ))}
        </select>
      </Field>
      {path ? (
        <Field
          label={LABELS[source].replace('A ', 'Which ')}
          className="min-w-64"
          hint={options.error?.message ?? (chosen ? undefined : 'Choose one, or the campaign reaches nobody.')}
        >
          <select
            className={INPUT}
            value={chosen ?? ''}
            onChange={(e) => onChange({ [source]: e.target.value ? Number(e.target.value) : undefined } as Audience)}
          >
            <option value="">{options.loading ? 'Loading…' : 'Choose…'}</option>
            {(options.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
    </div>
  );
}
