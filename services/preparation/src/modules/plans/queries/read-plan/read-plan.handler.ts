import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IdsyncError, Subjects, type Operation } from '@idsync/contracts';
import { MessageBus, type BlobStore } from '@idsync/messaging';
import { BLOBS } from '@idsync/runtime';
import { DataSource } from 'typeorm';
import { PlanRow } from '../../../../database';
import { parseOperationLine } from '../../plan-format';

/** A page of a run's plan: creates, updates with attribute-level before/after, deletes. */
@Injectable()
export class ReadPlanHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(BLOBS) private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getPlan, async ({ runId, offset, limit }) => {
      const plan = await this.ds.getRepository(PlanRow).findOneBy({ runId });
      if (!plan) throw new IdsyncError('PLAN.NOT_FOUND', `run ${runId} has no plan (yet)`, { runId });
      const take = Math.min(limit || 100, 200); // an answer must fit in one bus message
      const operations: Operation[] = [];
      let i = 0;
      if (plan.planRef) for await (const line of this.blobs.read(plan.planRef)) {
        if (i++ < offset) continue;
        operations.push(parseOperationLine(line));
        if (operations.length >= take) break;
      }
      return { runId, summary: plan.summary, violations: plan.violations, operations, total: plan.planRef?.records ?? 0, problems: plan.problems };
    });
    this.bus.answer(Subjects.getOrphans, async ({ runId, offset, limit }) => {
      const plan = await this.ds.getRepository(PlanRow).findOneBy({ runId });
      if (!plan) throw new IdsyncError('PLAN.NOT_FOUND', `run ${runId} has no plan (yet)`, { runId });
      const take = Math.min(limit || 100, 1000);
      const orphans: { dn: string; anchor: string }[] = [];
      let i = 0;
      if (plan.orphansRef) for await (const line of this.blobs.read(plan.orphansRef)) {
        if (i++ < offset) continue;
        orphans.push(JSON.parse(line));
        if (orphans.length >= take) break;
      }
      return { orphans, total: plan.orphansRef?.records ?? 0 };
    });
  }
}
