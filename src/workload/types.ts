/** A railway station record, shaped like the talk's data set. */
export interface Station {
  id: number;
  code: string;
  name: string;
  lat: number;
  lon: number;
  operator: string;
  platforms: number;
  validFrom: string;
  validTo: string | null;
}

export interface DiffCounts {
  added: number;
  changed: number;
  deleted: number;
  unchanged: number;
}

/** The import's result: every record classified, the new and changed ones returned in full. */
export interface DiffResult {
  counts: DiffCounts;
  /** Added and changed records, in full, in incoming order: grows with the change share. */
  changedRecords: Station[];
  deletedIds: number[];
  /** Folds the CPU work into the result, so the work cannot be optimised away and is checkable. */
  workChecksum: number;
}
