import type { DataSource, EntityManager } from 'typeorm';
import { qualifiedTable } from '@idsync/persistence';

/** Quoted table names in this service's schema. */
export function tables(ds: DataSource | EntityManager) {
  const t = (name: string) => qualifiedTable(ds, name);
  return { applications: t('applications'), operations: t('operations'), results: t('results'), links: t('links'), sourceAnchors: t('source_anchors') };
}
