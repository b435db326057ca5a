import { useState } from 'react';

import { ClientForm } from '@/modules/admin/components/ClientForm';
import type { ClientOrg } from '@/modules/admin/types/Admin';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { LoadState } from '@/modules/forms/components/LoadState';
import { Panel } from '@/modules/forms/components/Panel';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { Button } from '@/modules/ui/components/Button';

type Props = { clientId: string; onSaved: () => void; onClose: () => void };

/** Renames a client organisation or changes its contact email (`GET`/`PATCH /clients/{id}`). */
export function ClientEditor({ clientId, onSaved, onClose }: Props) {
  const [version, setVersion] = useState(0);
  const client = useApiResource<ClientOrg>(`/clients/${clientId}`, version);
  const save = useSubmit();
  const org = client.data;
  const patch = async (body: { name: string; contact_email: string | null }) => {
    if (await save.run(() => apiFetch(`/clients/${clientId}`, { method: 'PATCH', body }), `${body.name} saved.`)) {
      setVersion((v) => v + 1);
      onSaved();
    }
  };
  return (
    <Panel title={org ? `Edit ${org.name}` : 'Edit client'}>
      <LoadState loading={client.loading && !org} error={client.error} />
      {org ? (
        <>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {org.is_active ? 'Active' : 'Inactive'} · {org.user_count} users · {org.order_count} orders · {org.campaign_count} campaigns
          </p>
          <ClientForm key={org.id} initial={{ name: org.name, contact_email: org.contact_email ?? '' }} submitLabel="Save changes" submit={save} onSave={(body) => void patch(body)}>
            <Button onClick={onClose}>Close</Button>
          </ClientForm>
        </>
      ) : null}
    </Panel>
  );
}
