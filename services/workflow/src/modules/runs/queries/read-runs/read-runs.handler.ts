import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { RunRepository } from '../../run.repository';

@Injectable()
export class ReadRunsHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RunRepository) private readonly runs: RunRepository,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getRun, async ({ runId }) => RunRepository.toContract(await this.runs.get(runId)));
    this.bus.answer(Subjects.listRuns, async ({ jobId, limit }) => ({ runs: (await this.runs.listForJob(jobId, limit)).map(RunRepository.toContract) }));
  }
}
