import type { ApiGroup } from '@/modules/audience/types/Filter';

export type Page<T> = { items: T[]; next_cursor: string | null };

export type Segment = { id: number; name: string; filter: ApiGroup; owner_id: number | null; created_at: string; updated_at: string };

export type ContactList = { id: number; name: string; source_segment_id: number | null; created_at: string; updated_at: string };

export type DomainSetStats = {
  total: number;
  valid: number;
  invalid: number;
  unique: number;
  duplicates: number;
  matched: number;
  match_rate: number;
  contacts: number;
  unmatched: string[];
  invalid_lines: { line: number; value: string; message: string }[];
};

export type DomainSet = { id: number; name: string; domains: string[]; stats: DomainSetStats; created_at: string };

export type CampaignSummary = { id: number; kind: string; name: string; status: string };

/** Where an export reads its contacts. */
export type ExportSource = { segmentId: number } | { listId: number } | { filter: ApiGroup };
