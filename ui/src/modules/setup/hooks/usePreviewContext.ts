import { useMemo } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { SAMPLE_CONTEXT } from '@/modules/setup/utils/placeholders';

type Row = Record<string, unknown>;

/**
 * What a script preview fills placeholders from: a real contact and its account when one is
 * chosen (its id as text), else the sample values. Agent and campaign values stay samples.
 */
export function usePreviewContext(contactId: string) {
  const contact = useApiResource<Row>(contactId ? `/contacts/${contactId}` : null);
  const accountId = contact.data?.account_id;
  const account = useApiResource<Row>(accountId ? `/accounts/${String(accountId)}` : null);
  const context = useMemo(
    () =>
      contactId && contact.data
        ? { ...SAMPLE_CONTEXT, contact: contact.data, account: account.data ?? {} }
        : SAMPLE_CONTEXT,
    [contactId, contact.data, account.data],
  );
  return { context, error: contact.error ?? account.error };
}
