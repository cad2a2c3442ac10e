import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJson, IdsyncError, JobSpecSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { DataSource } from 'typeorm';
import { JobRow } from '../../../../database';

@Injectable()
export class ReadJobsHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getJob, async ({ jobId }) => {
      const row = await this.ds.getRepository(JobRow).findOneBy({ id: jobId });
      if (!row) throw new IdsyncError('JOB.NOT_FOUND', `job ${jobId} does not exist`, { jobId });
      return fromJson(JobSpecSchema, row.spec as never, { ignoreUnknownFields: true });
    });
    this.bus.answer(Subjects.listJobs, async () => {
      const rows = await this.ds.getRepository(JobRow).find({ order: { name: 'ASC' } });
      return { jobs: rows.map((r) => fromJson(JobSpecSchema, r.spec as never, { ignoreUnknownFields: true })) };
    });
  }
}
