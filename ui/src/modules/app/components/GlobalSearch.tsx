import { useEffect, useId, useRef, useState } from 'react';

import { hitPath } from '@/modules/app/utils/hitPath';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Role } from '@/modules/auth/types/Session';

type Hit = { kind: string; id: number; title: string; detail: string };
const KIND_LABEL: Record<string, string> = { contact: 'Contact', account: 'Account', campaign: 'Campaign', order: 'Order' };

/** The search box in the header: contacts, accounts, campaigns and orders the user may see. */
export function GlobalSearch({ role, onNavigate }: { role: Role; onNavigate: (path: string) => void }) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      return undefined;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      apiFetch<{ hits: Hit[] }>(`/search?q=${encodeURIComponent(q)}`, { signal: abort.signal })
        .then((found) => {
          setHits(found.hits);
          setActive(0);
          setOpen(true);
        })
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text]);

  const choose = (hit: Hit | undefined) => {
    const path = hit ? hitPath(hit.kind, hit.id, role) : null;
    if (!path) return;
    setOpen(false);
    setText('');
    onNavigate(path);
  };

  return (
    <div className="relative w-72">
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-label="Search contacts, accounts, campaigns and orders"
        aria-expanded={open && hits.length > 0}
        aria-controls={open && text.trim().length >= 2 ? listId : undefined}
        aria-activedescendant={open && hits[active] ? `${listId}-${active}` : undefined}
        placeholder="Search…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') choose(hits[active]);
          else if (e.key === 'Escape') {
            setOpen(false);
            input.current?.blur();
          } else return;
          e.preventDefault();
        }}
        className="w-full rounded border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-400"
      />
      {open && text.trim().length >= 2 ? (
        <ul id={listId} role="listbox" aria-label="Search results" className="absolute z-40 mt-1 w-full overflow-hidden rounded-md bg-white text-slate-900 shadow-lg">
          {hits.length === 0 ? <li className="px-3 py-2 text-sm text-slate-500">No match.</li> : null}
          {hits.map((hit, index) => {
            const reachable = hitPath(hit.kind, hit.id, role) !== null;
            return (
              <li
                key={`${hit.kind}-${hit.id}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                aria-disabled={!reachable}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(hit);
                }}
                className={`cursor-pointer px-3 py-1.5 text-sm aria-selected:bg-sky-100 ${reachable ? '' : 'cursor-default text-slate-500'}`}
              >
                <span className="mr-2 text-xs font-semibold uppercase text-slate-500">{KIND_LABEL[hit.kind] ?? hit.kind}</span>
                {hit.title}
                {hit.detail ? <span className="ml-1 text-xs text-slate-500">· {hit.detail}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
