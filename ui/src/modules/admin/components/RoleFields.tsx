import { ClientPicker } from '@/modules/admin/components/ClientPicker';
import { ROLES } from '@/modules/admin/types/Admin';
import type { ApiError } from '@/modules/api/utils/ApiError';
import type { Role } from '@/modules/auth/types/Session';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';

/** What a user or an API key is allowed: a role, and a client organisation for a client role. */
export type RoleAccess = { role: Role; client_id: number | null };

type Props = {
  value: RoleAccess;
  onChange: (value: RoleAccess) => void;
  /** The last failed save: its `role` and `client_id` messages show at their fields. */
  error: ApiError | null;
  roleLabel?: string;
};

/** The API refuses a client on any other role, so only a client role keeps (and shows) one. */
const isClientRole = (role: Role) => role === 'client_user';

/** The role select and, for a client role, the client organisation picker. */
export function RoleFields({ value, onChange, error, roleLabel = 'Role' }: Props) {
  const pickRole = (role: Role) => onChange({ role, client_id: isClientRole(role) ? value.client_id : null });
  return (
    <>
      <Field label={roleLabel} error={fieldMessage(error, 'role')} className="w-44">
        <select className={INPUT} value={value.role} onChange={(e) => pickRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      {isClientRole(value.role) ? (
        <ClientPicker clientId={value.client_id} onPick={(client_id) => onChange({ ...value, client_id })} error={fieldMessage(error, 'client_id')} />
      ) : null}
    </>
  );
}
