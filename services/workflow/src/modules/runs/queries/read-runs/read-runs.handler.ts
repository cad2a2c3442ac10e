import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { qualifiedTable } from '@idsync/persistence';
import { DataSource } from 'typeorm';
import { RunRepository } from '../../run.repository';

@Injectable()
export class ReadRunsHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RunRepository) private readonly runs: RunRepository,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getRun, async ({ runId }) => RunRepository.toContract(await this.runs.get(runId)));
    this.bus.answer(Subjects.getRunLog, async ({ runId }) => {
      await this.runs.get(runId);
      const rows: { at: Date; state: number; message: string }[] = await this.ds.query(
        `SELECT at, state, message FROM ${qualifiedTable(this.ds, 'run_log')} WHERE run_id = $1 ORDER BY seq`,
        [runId],
      );
      return { entries: rows.map((r) => ({ at: r.at.toISOString(), state: r.state, message: r.message })) };
    });
    this.bus.answer(Subjects.listRuns, async ({ jobId, limit }) => ({ runs: (await this.runs.listForJob(jobId, limit)).map(RunRepository.toContract) }));
  }
}
