import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { DataSource } from 'typeorm';
import { ChangeRecordRow } from '../../../../database';

/** Largest page: an answer must fit in one bus message (1 MB by default). */
export const MAX_PAGE = 200;

/** Answers history queries: by run, by object (DN or source key), newest last. */
@Injectable()
export class QueryChangesHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.queryChanges, async (q) => {
      const qb = this.ds.getRepository(ChangeRecordRow).createQueryBuilder('c');
      if (q.runId) qb.andWhere('c.run_id = :run', { run: q.runId });
      // An object is found by any DN it had (before or after a rename) or by its source key.
      if (q.object) qb.andWhere("(lower(c.dn) = lower(:o) OR (c.new_dn <> '' AND lower(c.new_dn) = lower(:o)) OR c.source_key = :o)", { o: q.object });
      const total = await qb.getCount();
      const rows = await qb
        .orderBy('c.applied_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .offset(q.offset)
        .limit(Math.min(q.limit || 100, MAX_PAGE))
        .getMany();
      return {
        total,
        changes: rows.map((r) => ({
          id: r.id,
          runId: r.runId,
          jobId: r.jobId,
          kind: r.kind,
          dn: r.dn,
          newDn: r.newDn,
          sourceKey: r.sourceKey,
          changes: r.changes.map((c) => ({ attribute: c.attribute, before: { values: c.before }, after: { values: c.after } })),
          requestedBy: r.requestedBy,
          appliedAt: r.appliedAt.toISOString(),
          recordedAt: r.recordedAt.toISOString(),
        })),
      };
    });
  }
}
