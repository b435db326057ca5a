import { useMemo } from 'react';

import type { FieldInfo } from '@/modules/audience/types/Filter';
import { catalogueOf, type Catalogue } from '@/modules/audience/utils/filterTree';
import { useApiResource, type Resource } from '@/modules/api/hooks/useApiResource';

/** The fields a filter may use (`GET /audience/fields`) and the same by name. */
export function useFilterFields(): Resource<FieldInfo[]> & { catalogue: Catalogue } {
  const resource = useApiResource<FieldInfo[]>('/audience/fields');
  const catalogue = useMemo(() => catalogueOf(resource.data ?? []), [resource.data]);
  return { ...resource, catalogue };
}
