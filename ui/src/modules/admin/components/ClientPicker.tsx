import { useClients } from '@/modules/admin/hooks/useClients';
import { Field, INPUT } from '@/modules/forms/components/Field';

type Props = {
  clientId: number | null;
  onPick: (clientId: number | null) => void;
  /** The API's message for the client field. */
  error?: string;
  /** What choosing no client means here ("Choose a client…" where one is required). */
  emptyLabel?: string;
};

/** A select of every client organisation by name (inactive ones marked), with its loading, empty and error states. */
export function ClientPicker({ clientId, onPick, error, emptyLabel = 'Choose a client…' }: Props) {
  const clients = useClients();
  const none = clients.data?.length === 0;
  const problem = clients.error ? `The clients could not be loaded: ${clients.error.message}` : undefined;
  return (
    <Field label="Client organisation" error={error ?? problem} hint={none ? 'No client organisation exists yet.' : undefined} className="min-w-56">
      <select className={INPUT} value={clientId ?? ''} disabled={!clients.data?.length} onChange={(e) => onPick(e.target.value ? Number(e.target.value) : null)}>
        <option value="">{clients.loading ? 'Loading clients…' : emptyLabel}</option>
        {clients.data?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.is_active === false ? `${c.name} (inactive)` : c.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
