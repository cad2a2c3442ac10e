/**
 * @idsync/connector-core — the connector interface shared by every connector plugin, and the
 * keyed-rows logic that file destinations (CSV, XLSX) apply operations with.
 *
 * @example
 *   import type { Connector } from '@idsync/connector-core';
 *   async function count(c: Connector) { let n = 0; for await (const p of c.readSnapshot({ objectType: 'user' })) n += p.length; return n; }
 */
export * from './connector';
export * from './keyed-rows';
export * from './value-changes';
export * from './atomic-file';
export * from './header-schema';
