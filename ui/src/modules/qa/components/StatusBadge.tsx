import type { QaStatus } from '@/modules/qa/types/QaLead';
import { statusLook } from '@/modules/qa/utils/statusLook';

export function StatusBadge({ status }: { status: QaStatus }) {
  const look = statusLook(status);
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${look.tone}`}>{look.label}</span>;
}
