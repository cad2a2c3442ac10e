/** Bounds that make a hostile workbook fail fast with a clear error instead of exhausting the service. */
export interface XlsxLimits {
  /** Sum of the declared uncompressed sizes of every part. Default 200 MB. */
  maxUncompressedBytes?: number;
  /** Uncompressed : compressed, for the whole file and for any part over 1 MB. Default 100. */
  maxCompressionRatio?: number;
  /** Rows in the sheet, header included. Default 1,048,576 (Excel's own maximum). */
  maxRows?: number;
  /** Columns in the sheet. Default 1,000. */
  maxColumns?: number;
  /** Wall-clock time for one read, in milliseconds. Default 300,000 (5 minutes). */
  timeoutMs?: number;
}

export const DEFAULT_LIMITS: Required<XlsxLimits> = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxRows: 1_048_576,
  maxColumns: 1_000,
  timeoutMs: 300_000,
};
