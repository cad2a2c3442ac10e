import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IdsyncError, RunMode, Subjects, type JobSpecJson } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { randomUUID } from 'node:crypto';
import { JobRow, RunRow } from '../../../../database';
import { initialState, State } from '../../domain/run-transitions';
import { RunFlow } from '../../run-flow.service';
import { RunRepository } from '../../run.repository';

/**
 * Starts a run (or a preview) of a job: it waits for approval, or its export begins at once. An
 * incremental run reads the source from the job's watermark, as it is when the run starts.
 */
@Injectable()
export class StartRunHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RunFlow) private readonly flow: RunFlow,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.startRun, async (cmd) => {
      if (!cmd.requestedBy) throw new IdsyncError('RUN.ACTOR_REQUIRED', 'a run needs the name of who asks for it');
      const run = await this.bus.transaction(async (m) => {
        const job = await m.getRepository(JobRow).findOneBy({ id: cmd.jobId });
        if (!job) throw new IdsyncError('JOB.NOT_FOUND', `job ${cmd.jobId} does not exist`, { jobId: cmd.jobId });
        const spec = job.spec as JobSpecJson;
        const state = initialState(cmd.preview, spec.requiresApproval ?? false);
        const incremental = cmd.mode === RunMode.INCREMENTAL;
        const row = m.getRepository(RunRow).create({
          id: randomUUID(), jobId: job.id, jobVersion: job.version, job: job.spec, state, preview: cmd.preview, requestedBy: cmd.requestedBy,
          counters: {}, reason: state === State.PendingApproval ? 'waiting for an approver' : '', error: null,
          sourceRef: null, destinationRef: null, groupsRef: null, planRef: null, linksRef: null, planLinksRef: null, sourceDeletedRef: null, sourceAnchorsRef: null, baseDn: '', decidedBy: '',
          mode: incremental ? RunMode.INCREMENTAL : RunMode.COMPLETE, since: incremental ? (job.sourceWatermark ?? '') : '', watermark: '', createdAt: new Date(), updatedAt: new Date(),
        });
        await m.getRepository(RunRow).save(row);
        await this.bus.publish(m, Subjects.runCreated, { run: RunRepository.toContract(row) }, { correlationId: row.id });
        const what = `${incremental ? 'incremental ' : ''}${cmd.preview ? 'preview' : 'run'}`;
        const from = incremental ? (row.since ? `, reading changes since ${row.since}` : ', reading every object (no watermark yet)') : '';
        await this.flow.log(m, row, `${what} of ${spec.name} (version ${job.version}) requested by ${cmd.requestedBy}${from}`);
        if (state === State.PendingApproval) await this.flow.moveTo(m, row, state);
        else await this.flow.startExport(m, row);
        return row;
      });
      return RunRepository.toContract(run);
    });
  }
}
