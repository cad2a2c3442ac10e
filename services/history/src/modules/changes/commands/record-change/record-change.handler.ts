import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { ChangeRecordRow } from '../../../../database';

/** Records every applied change reported by synchronization, once (the event id is the key). */
@Injectable()
export class RecordChangeHandler implements OnModuleInit {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  onModuleInit(): void {
    this.bus.on(Subjects.objectChanged, async (change, { manager, envelope }) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(ChangeRecordRow)
        .values({
          id: envelope.id,
          runId: change.runId,
          jobId: change.jobId,
          kind: change.kind,
          dn: change.dn,
          newDn: change.newDn,
          sourceKey: change.sourceKey,
          changes: change.changes.map((c) => ({ attribute: c.attribute, before: c.before?.values ?? [], after: c.after?.values ?? [] })),
          requestedBy: change.requestedBy,
          appliedAt: new Date(change.appliedAt || envelope.occurredAt),
        })
        .orIgnore()
        .execute();
    });
  }
}
