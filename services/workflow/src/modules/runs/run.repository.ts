import { Injectable, Inject } from '@nestjs/common';
import { fromJson, IdsyncError, JobSpecSchema, type MessageInitShape, type RunSchema } from '@idsync/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { RunRow } from '../../database';

export type RunInit = MessageInitShape<typeof RunSchema>;

/** Runs in the workflow schema, and their contract form. */
@Injectable()
export class RunRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Reads a run and locks it for the transaction (events of one run are handled one at a time). */
  async lock(manager: EntityManager, id: string): Promise<RunRow> {
    const run = await manager.getRepository(RunRow).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
    if (!run) throw new IdsyncError('RUN.NOT_FOUND', `run ${id} does not exist`, { runId: id });
    return run;
  }

  async get(id: string): Promise<RunRow> {
    const run = await this.ds.getRepository(RunRow).findOneBy({ id });
    if (!run) throw new IdsyncError('RUN.NOT_FOUND', `run ${id} does not exist`, { runId: id });
    return run;
  }

  async listForJob(jobId: string, limit: number): Promise<RunRow[]> {
    return this.ds.getRepository(RunRow).find({ where: jobId ? { jobId } : {}, order: { createdAt: 'DESC' }, take: Math.min(limit || 50, 500) });
  }

  static toContract(r: RunRow): RunInit {
    return {
      id: r.id,
      jobId: r.jobId,
      jobVersion: r.jobVersion,
      state: r.state,
      preview: r.preview,
      requestedBy: r.requestedBy,
      counters: r.counters,
      reason: r.reason,
      error: r.error ?? undefined,
      createdAt: r.createdAt.toISOString(),
      updatedAt: (r.updatedAt ?? r.createdAt).toISOString(),
      decidedBy: r.decidedBy,
      mode: r.mode,
      since: r.since,
      watermark: r.watermark,
      job: fromJson(JobSpecSchema, r.job as never, { ignoreUnknownFields: true }),
    };
  }
}
