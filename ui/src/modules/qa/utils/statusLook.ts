import type { QaStatus } from '@/modules/qa/types/QaLead';
import { QA_STATUSES } from '@/modules/qa/utils/leadFilters';

const TONES: Record<QaStatus, string> = {
  new: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  under_review: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  approved: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  rejected: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
  returned: 'bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100',
  published: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
};

/** The label and badge colours of a QA status. */
export function statusLook(status: QaStatus): { label: string; tone: string } {
  const label = QA_STATUSES.find((s) => s.value === status)?.label ?? status;
  return { label, tone: TONES[status] ?? TONES.published };
}
