import type { ImportProgressEvent } from '@/modules/live/types/LiveEvent';

export type ImportEntity = 'contact' | 'account';

export type PreviewRow = { row: number; cells: string[]; valid: boolean | null; field: string | null; reason: string | null };

/** The answer to an upload (`POST /imports`). */
export type ImportPreview = {
  id: number;
  filename: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  rows_total: number;
  headers: string[];
  suggested_mapping: Record<string, string | null>;
  targets: string[];
  rows: PreviewRow[];
};

export type ImportStatus = ImportProgressEvent['status'];

export type ImportJob = {
  id: number;
  entity: ImportEntity;
  filename: string;
  status: ImportStatus;
  rows_total: number;
  rows_done: number;
  rows_failed: number;
  rows_per_s: number | null;
  created: number;
  updated: number;
  skipped: number;
  failure: string | null;
  mapping: Record<string, string | null>;
  created_at: string;
  finished_at: string | null;
};
