import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Decision as ContractDecision, IdsyncError, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { decide, State, type Decision } from '../../domain/run-transitions';
import { RunFlow } from '../../run-flow.service';
import { RunRepository } from '../../run.repository';

const decisions: Record<number, Decision> = {
  [ContractDecision.APPROVE]: 'approve',
  [ContractDecision.DENY]: 'deny',
  [ContractDecision.RESUME]: 'resume',
  [ContractDecision.CANCEL]: 'cancel',
};

/** Approve or deny a run waiting for approval; resume or cancel a run stopped by a threshold. */
@Injectable()
export class DecideRunHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RunFlow) private readonly flow: RunFlow,
    @Inject(RunRepository) private readonly runs: RunRepository,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.decideRun, async (cmd) => {
      const decision = decisions[cmd.decision];
      if (!decision) throw new IdsyncError('RUN.BAD_DECISION', 'decision must be approve, deny, resume or cancel');
      const run = await this.bus.transaction(async (m) => {
        const row = await this.runs.lock(m, cmd.runId);
        const next = decide(row, decision, cmd.actor);
        const reason = cmd.comment ? `${decision} by ${cmd.actor}: ${cmd.comment}` : `${decision} by ${cmd.actor}`;
        if (decision === 'approve') {
          await this.flow.moveTo(m, row, next, { decidedBy: cmd.actor, reason }, Subjects.runApproved);
          await this.flow.startExport(m, row);
        } else if (decision === 'resume') {
          await this.flow.moveTo(m, row, next, { decidedBy: cmd.actor, reason }, Subjects.runResumed);
          await this.flow.startSync(m, row);
        } else {
          await this.flow.moveTo(m, row, next, { decidedBy: cmd.actor, reason });
        }
        return row;
      });
      return RunRepository.toContract(run);
    });
  }
}

export { State };
