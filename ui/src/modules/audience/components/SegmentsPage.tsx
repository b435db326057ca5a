import { useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { ApiErrorNote } from '@/modules/audience/components/ApiErrorNote';
import { ExportButtons } from '@/modules/audience/components/ExportButtons';
import { FilterBuilder } from '@/modules/audience/components/FilterBuilder';
import { INPUT, Panel, ROW_BUTTON } from '@/modules/audience/components/Panel';
import { useCount } from '@/modules/audience/hooks/useCount';
import { useFilterFields } from '@/modules/audience/hooks/useFilterFields';
import type { Page, Segment } from '@/modules/audience/types/Audience';
import type { FieldInfo } from '@/modules/audience/types/Filter';
import { apiFilterOrNull, fromApiFilter, newGroup, type Catalogue } from '@/modules/audience/utils/filterTree';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { Button } from '@/modules/ui/components/Button';

const HERE = '/audience/segments';

/** Saved filters: the list with their sizes, and the builder to create or edit one
 * (`?segment=<id>` or `?segment=new`). */
export function SegmentsPage({ query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const segments = useApiResource<Page<Segment>>('/segments?limit=500', version);
  const fields = useFilterFields();
  const selected = query.get('segment');
  const open = (id: number | 'new') => navigate(`${HERE}?segment=${id}`);
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Segments</h1>
      <div className="grid gap-3 lg:grid-cols-[18rem_1fr]">
        <Panel title="Saved segments" actions={<Button tone="primary" onClick={() => open('new')}>New segment</Button>}>
          <ApiErrorNote error={segments.error} />
          {segments.loading && !segments.data ? <p className="text-sm">Loading…</p> : null}
          {segments.data?.items.length === 0 ? <p className="text-sm">No segments yet: build a filter and save it.</p> : null}
          <ul className="space-y-1">
            {segments.data?.items.map((segment) => (
              <li key={segment.id}>
                <button type="button" className={ROW_BUTTON} aria-current={String(segment.id) === selected} onClick={() => open(segment.id)}>
                  <span className="block font-medium">{segment.name}</span>
                  <SegmentSize id={segment.id} version={version} />
                </button>
              </li>
            ))}
          </ul>
        </Panel>
        {fields.error ? <ApiErrorNote error={fields.error} /> : null}
        {selected && fields.data ? (
          <SegmentEditor
            key={selected}
            id={selected === 'new' ? null : Number(selected)}
            fields={fields.data}
            catalogue={fields.catalogue}
            onSaved={(segment) => {
              setVersion((v) => v + 1);
              open(segment.id);
            }}
            onDeleted={() => {
              setVersion((v) => v + 1);
              navigate(HERE);
            }}
          />
        ) : (
          <p className="self-start rounded-lg border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
            {fields.loading ? 'Loading fields…' : 'Open a segment, or start a new one.'}
          </p>
        )}
      </div>
    </div>
  );
}

function SegmentSize({ id, version }: { id: number; version: number }) {
  return <span className="text-xs text-slate-600 dark:text-slate-300">{useCount(`/segments/${id}/count`, version)}</span>;
}

type EditorProps = {
  id: number | null;
  fields: FieldInfo[];
  catalogue: Catalogue;
  onSaved: (segment: Segment) => void;
  onDeleted: () => void;
};

function SegmentEditor({ id, fields, catalogue, onSaved, onDeleted }: EditorProps) {
  const existing = useApiResource<Segment>(id === null ? null : `/segments/${id}`);
  if (id !== null && !existing.data) {
    return existing.error ? <ApiErrorNote error={existing.error} /> : <p className="text-sm">Loading the segment…</p>;
  }
  return <SegmentForm key={existing.data?.updated_at ?? 'new'} segment={existing.data} fields={fields} catalogue={catalogue} onSaved={onSaved} onDeleted={onDeleted} />;
}

function SegmentForm({ segment, fields, catalogue, onSaved, onDeleted }: Omit<EditorProps, 'id'> & { segment: Segment | null }) {
  const [name, setName] = useState(segment?.name ?? '');
  const [tree, setTree] = useState(() => (segment ? fromApiFilter(segment.filter) : newGroup()));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const filter = apiFilterOrNull(tree, catalogue);
  const save = async () => {
    if (!filter) return;
    setSaving(true);
    setError(null);
    try {
      const body = { name: name.trim(), filter };
      const saved = segment
        ? await apiFetch<Segment>(`/segments/${segment.id}`, { method: 'PATCH', body })
        : await apiFetch<Segment>('/segments', { method: 'POST', body });
      onSaved(saved);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    if (!segment || !window.confirm(`Delete the segment “${segment.name}”?`)) return;
    try {
      await apiFetch(`/segments/${segment.id}`, { method: 'DELETE' });
      onDeleted();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Panel title={segment ? `Segment: ${segment.name}` : 'New segment'}>
      <label className="flex flex-col gap-1 text-sm">
        Name
        <input className={INPUT} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <FilterBuilder fields={fields} value={tree} onChange={setTree} />
      <ApiErrorNote error={error} />
      <div className="flex flex-wrap items-center gap-2">
        <Button tone="primary" disabled={saving || !filter || !name.trim()} onClick={() => void save()}>
          {saving ? 'Saving…' : segment ? 'Save changes' : 'Save segment'}
        </Button>
        {segment ? (
          <Button tone="danger" onClick={() => void remove()}>
            Delete
          </Button>
        ) : null}
        <span className="ml-auto">
          <ExportButtons source={segment ? { segmentId: segment.id } : { filter: filter ?? { op: 'and', conditions: [] } }} disabled={!filter} />
        </span>
      </div>
    </Panel>
  );
}
