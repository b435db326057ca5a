import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { ExportButtons } from '@/modules/audience/components/ExportButtons';
import { INPUT, Panel, ROW_BUTTON } from '@/modules/audience/components/Panel';
import { useCount } from '@/modules/audience/hooks/useCount';
import type { ContactList, Page, Segment } from '@/modules/audience/types/Audience';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { Button } from '@/modules/ui/components/Button';

const HERE = '/audience/lists';

/** Static lists: create one, snapshot a segment's contacts into it, its size, exports
 * (`?list=<id>`). */
export function ListsPage({ query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const lists = useApiResource<Page<ContactList>>('/lists?limit=500', version);
  const selected = query.get('list');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setError(null);
    try {
      const created = await apiFetch<ContactList>('/lists', { method: 'POST', body: { name: name.trim() } });
      setName('');
      setVersion((v) => v + 1);
      navigate(`${HERE}?list=${created.id}`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Lists</h1>
      <div className="grid gap-3 lg:grid-cols-[18rem_1fr]">
        <Panel title="Static lists">
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <label className="sr-only" htmlFor="new-list-name">
              New list name
            </label>
            <input id="new-list-name" className={`${INPUT} min-w-0 flex-1`} placeholder="New list name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            <Button type="submit" tone="primary" disabled={!name.trim()}>
              Create
            </Button>
          </form>
          <ApiErrorNote error={error ?? lists.error} />
          {lists.data?.items.length === 0 ? <p className="text-sm">No lists yet.</p> : null}
          <ul className="space-y-1">
            {lists.data?.items.map((list) => (
              <li key={list.id}>
                <button type="button" className={ROW_BUTTON} aria-current={String(list.id) === selected} onClick={() => navigate(`${HERE}?list=${list.id}`)}>
                  {list.name}
                </button>
              </li>
            ))}
          </ul>
        </Panel>
        {selected ? (
          <ListDetail
            key={selected}
            id={Number(selected)}
            onDeleted={() => {
              setVersion((v) => v + 1);
              navigate(HERE);
            }}
          />
        ) : (
          <p className="self-start rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">Open a list, or create one.</p>
        )}
      </div>
    </div>
  );
}

function ListDetail({ id, onDeleted }: { id: number; onDeleted: () => void }) {
  const [version, setVersion] = useState(0);
  const list = useApiResource<ContactList>(`/lists/${id}`, version);
  const size = useCount(`/lists/${id}/count`, version);
  const segments = useApiResource<Page<Segment>>('/segments?limit=500');
  const [segmentId, setSegmentId] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!list.data) return list.error ? <ApiErrorNote error={list.error} /> : <p className="text-sm">Loading the list…</p>;
  const snapshot = async () => {
    setError(null);
    setNote(null);
    try {
      const changed = await apiFetch<{ changed: number; size: number }>(`/lists/${id}/snapshot`, { method: 'POST', body: { segment_id: Number(segmentId) } });
      setNote(`${changed.changed.toLocaleString()} contacts added; the list has ${changed.size.toLocaleString()}.`);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(caught);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete the list “${list.data?.name}”?`)) return;
    try {
      await apiFetch(`/lists/${id}`, { method: 'DELETE' });
      onDeleted();
    } catch (caught) {
      setError(caught);
    }
  };
  const source = segments.data?.items.find((s) => s.id === list.data?.source_segment_id);
  return (
    <Panel title={`List: ${list.data.name}`} actions={<Button tone="danger" onClick={() => void remove()}>Delete</Button>}>
      <p className="text-sm" data-testid="list-size">
        Members: <strong>{size}</strong>
        {source ? ` · last snapshot of “${source.name}”` : ''}
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void snapshot();
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          Snapshot a segment into this list
          <select className={INPUT} value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
            <option value="">choose a segment…</option>
            {segments.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" tone="primary" disabled={!segmentId}>
          Add its contacts
        </Button>
      </form>
      {note ? <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">{note}</p> : null}
      <ApiErrorNote error={error} />
      <ExportButtons source={{ listId: id }} />
    </Panel>
  );
}
