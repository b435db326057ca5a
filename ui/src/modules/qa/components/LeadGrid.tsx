import { type MouseEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';

import { StatusBadge } from '@/modules/qa/components/StatusBadge';
import type { QaLead } from '@/modules/qa/types/QaLead';
import { scrollToShow, visibleRange } from '@/modules/qa/utils/visibleRange';

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;
const FALLBACK_HEIGHT = 480; // before layout (and in jsdom, which has none)
const CREATED = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });
const COLUMNS = 'grid grid-cols-[2.5rem_4rem_minmax(6rem,1fr)_7rem_minmax(6rem,1fr)_6rem_4rem_9rem] items-center gap-2 px-2';

type Props = {
  rows: QaLead[];
  campaignName: (id: number) => string;
  currentId: number | null;
  checked: ReadonlySet<number>;
  onOpen: (id: number) => void;
  onCheck: (id: number, shift: boolean) => void;
};

/**
 * The leads as a windowed grid: only the rows in view (and a few either side) are in the
 * DOM, placed at their offset in a spacer as tall as every row, so 10,000 leads scroll as
 * smoothly as 10.
 */
export function LeadGrid({ rows, campaignName, currentId, checked, onOpen, onCheck }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const measure = () => setHeight(element.clientHeight - HEADER_HEIGHT || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The row at the top of the view: a lead joining above it (live) must not push it away.
  const top = useRef<{ id: number; index: number } | null>(null);
  const remember = (scrolled: number) => {
    const index = Math.floor(scrolled / ROW_HEIGHT);
    top.current = rows[index] ? { id: rows[index].id, index } : null;
  };
  useLayoutEffect(() => {
    const element = box.current;
    const anchor = top.current;
    if (!element || !anchor || rows[anchor.index]?.id === anchor.id) return;
    const index = rows.findIndex((row) => row.id === anchor.id);
    if (index < 0) return;
    element.scrollTop += (index - anchor.index) * ROW_HEIGHT;
    top.current = { id: anchor.id, index };
    setScrollTop(element.scrollTop);
  }, [rows]);

  const currentIndex = currentId === null ? -1 : rows.findIndex((row) => row.id === currentId);
  useEffect(() => {
    const element = box.current;
    if (!element || currentIndex < 0) return;
    const top = scrollToShow(currentIndex, element.scrollTop, height, ROW_HEIGHT);
    if (top !== null) {
      element.scrollTop = top;
      setScrollTop(top);
    }
  }, [currentIndex, height]);

  const { start, end } = visibleRange(scrollTop, height, ROW_HEIGHT, rows.length);
  return (
    <div
      ref={box}
      role="grid"
      aria-label="Leads"
      aria-rowcount={rows.length + 1}
      aria-colcount={8}
      tabIndex={0}
      onScroll={(event) => {
        setScrollTop(event.currentTarget.scrollTop);
        remember(event.currentTarget.scrollTop);
      }}
      className="h-full overflow-auto rounded-lg border border-slate-200 bg-white text-sm dark:border-slate-700 dark:bg-slate-900"
    >
      <div role="rowgroup" className="sticky top-0 z-10 bg-slate-50 dark:bg-slate-800">
        <div role="row" aria-rowindex={1} className={`${COLUMNS} font-medium text-slate-600 dark:text-slate-300`} style={{ height: HEADER_HEIGHT }}>
          <span role="columnheader"><span className="sr-only">Checked</span></span>
          <span role="columnheader">Lead</span>
          <span role="columnheader">Contact</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Campaign</span>
          <span role="columnheader">Agent</span>
          <span role="columnheader">AI score</span>
          <span role="columnheader">Created</span>
        </div>
      </div>
      <div role="rowgroup" className="relative" style={{ height: rows.length * ROW_HEIGHT }}>
        {rows.slice(start, end).map((lead, offset) => (
          <LeadRow
            key={lead.id}
            lead={lead}
            index={start + offset}
            current={lead.id === currentId}
            checked={checked.has(lead.id)}
            campaign={campaignName(lead.campaign_id)}
            onOpen={onOpen}
            onCheck={onCheck}
          />
        ))}
      </div>
    </div>
  );
}

type RowProps = {
  lead: QaLead;
  index: number;
  current: boolean;
  checked: boolean;
  campaign: string;
  onOpen: (id: number) => void;
  onCheck: (id: number, shift: boolean) => void;
};

function LeadRow({ lead, index, current, checked, campaign, onOpen, onCheck }: RowProps) {
  const tone = current
    ? 'bg-sky-100 dark:bg-sky-950 outline outline-2 -outline-offset-2 outline-sky-600'
    : 'hover:bg-slate-50 dark:hover:bg-slate-800';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={current}
      data-lead={lead.id}
      onClick={() => onOpen(lead.id)}
      className={`${COLUMNS} absolute inset-x-0 cursor-pointer border-b border-slate-100 dark:border-slate-800 ${tone}`}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
    >
      <span role="gridcell">
        <input
          type="checkbox"
          aria-label={`Check lead ${lead.id}`}
          checked={checked}
          onChange={() => undefined}
          onClick={(event: MouseEvent<HTMLInputElement>) => {
            event.stopPropagation();
            onCheck(lead.id, event.shiftKey);
          }}
          className="h-4 w-4"
        />
      </span>
      <span role="gridcell" className="font-mono">#{lead.id}</span>
      <span role="gridcell" className="truncate">{lead.contact_name ?? `Contact #${lead.contact_id}`}</span>
      <span role="gridcell"><StatusBadge status={lead.qa_status} /></span>
      <span role="gridcell" className="truncate">{campaign}</span>
      <span role="gridcell" className="truncate">{lead.agent_id === null ? '—' : (lead.agent_name ?? `Agent #${lead.agent_id}`)}</span>
      <span role="gridcell" className="tabular-nums">{lead.ai_score ?? '—'}</span>
      <span role="gridcell" className="truncate whitespace-nowrap tabular-nums">{CREATED.format(new Date(lead.created_at))}</span>
    </div>
  );
}
