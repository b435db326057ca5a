import { useRef } from 'react';

import type { Role } from '@/modules/auth/types/Session';
import { jobToast } from '@/modules/app/utils/jobToast';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import { startedJobs } from '@/modules/live/states/startedJobs';
import { toastStore } from '@/modules/ui/states/toastStore';

const JOB_WATCHERS: Role[] = ['admin', 'campaign_manager', 'data_ops', 'qa_analyst'];

/** A toast when a background job ends (utils/jobToast.ts says which), on whatever screen the user is. */
export function useJobToasts(role: Role | undefined): void {
  const toldImports = useRef(new Set<number>()); // an import's end is announced once
  useLiveStream(
    {
      accepts: (event) => event.type === 'import.progress' || event.type.endsWith('.ended'),
      onEvents: (events) => {
        if (role === undefined) return;
        for (const event of events) {
          const notice = jobToast(event, role, startedJobs.take);
          if (!notice) continue;
          if (event.type === 'import.progress') {
            if (toldImports.current.has(event.import_id)) continue;
            toldImports.current.add(event.import_id);
          }
          toastStore.push(notice);
        }
      },
      onResync: () => undefined,
    },
    role !== undefined && JOB_WATCHERS.includes(role),
  );
}
