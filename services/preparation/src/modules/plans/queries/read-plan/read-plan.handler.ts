import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IdsyncError, Subjects, type Operation } from '@idsync/contracts';
import { MessageBus, readBlobPage, type BlobStore } from '@idsync/messaging';
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
      const plan = await this.plan(runId);
      const take = Math.min(limit || 100, 200); // an answer must fit in one bus message
      const operations: Operation[] = plan.planRef ? (await readBlobPage(this.blobs, plan.planRef, offset, take)).map(parseOperationLine) : [];
      return { runId, summary: plan.summary, violations: plan.violations, operations, total: plan.planRef?.records ?? 0, problems: plan.problems };
    });
    this.bus.answer(Subjects.getOrphans, async ({ runId, offset, limit }) => {
      const plan = await this.plan(runId);
      const take = Math.min(limit || 100, 1000);
      const orphans: { dn: string; anchor: string }[] = plan.orphansRef ? (await readBlobPage(this.blobs, plan.orphansRef, offset, take)).map((l) => JSON.parse(l)) : [];
      return { orphans, total: plan.orphansRef?.records ?? 0 };
    });
  }

  private async plan(runId: string): Promise<PlanRow> {
    const plan = await this.ds.getRepository(PlanRow).findOneBy({ runId });
    if (!plan) throw new IdsyncError('PLAN.NOT_FOUND', `run ${runId} has no plan (yet)`, { runId });
    return plan;
  }
}
