import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { create, JobSpecSchema, Subjects } from '@idsync/contracts';
import { MessageBus, type BlobLocation, type BlobStore } from '@idsync/messaging';
import type { Logger } from '@idsync/observability';
import type { PlanProblem, PlanSummary, ThresholdViolation } from '@idsync/planning';
import { BLOBS, LOGGER } from '@idsync/runtime';
import { PlanRow } from '../../../../database';
import { operationLine, planningJob } from '../../plan-format';
import { planFromSnapshots } from './plan-from-snapshots';

type Outcome =
  | { ok: true; ref: BlobLocation; links: BlobLocation; sourceAnchors: BlobLocation; sourceDeletions: number; orphans: BlobLocation; summary: PlanSummary; violations: ThresholdViolation[]; problems: PlanProblem[] }
  | { ok: false; problems: PlanProblem[] };

/**
 * Maps, matches and plans one run from its two snapshots, and checks the plan against the
 * job's guards. The same code serves a preview and a real run: the plan a reviewer sees is
 * the plan that is applied.
 */
@Injectable()
export class PreparePlanHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.bus.process(
      Subjects.preparePlan,
      async (cmd): Promise<Outcome> => {
        const job = create(JobSpecSchema, cmd.job ?? {});
        const inputs = { source: cmd.source!, destination: cmd.destination!, groups: cmd.groups, links: cmd.links, deleted: cmd.sourceDeleted };
        const { result, sourceAnchors, deletedKeys } = await planFromSnapshots(this.blobs, planningJob(job, cmd.destinationBaseDn), inputs, {
          partial: cmd.partial,
          sourceAnchors: { bucket: 'plans', name: `${cmd.runId}/source-anchors.ndjson` },
        });
        if (cmd.sourceDeleted) {
          this.log.info({ runId: cmd.runId, reported: cmd.sourceDeleted.records, keys: deletedKeys, matched: result.sourceDeletions }, 'source deletions matched to linked objects');
        }
        // With the job's checks on "skip", problems leave their objects out and the rest may run.
        if (result.blocking) {
          this.log.warn({ runId: cmd.runId, problems: result.problems.length }, 'plan refused: bad input');
          return { ok: false, problems: result.problems };
        }
        const ref = await this.blobs.write('plans', `${cmd.runId}/plan.ndjson`, mapLines(result.operations, operationLine));
        const orphans = await this.blobs.write('plans', `${cmd.runId}/orphans.ndjson`, mapLines(result.orphans, (o) => JSON.stringify({ dn: o.dn, anchor: o.anchor })));
        const links = await this.blobs.write('plans', `${cmd.runId}/links.ndjson`, mapLines(result.newLinks, (l) => JSON.stringify({ sourceKey: l.sourceKey, anchor: l.anchor })));
        this.log.info({ runId: cmd.runId, ...result.summary, violations: result.violations.length }, 'plan computed');
        return { ok: true, ref, links, sourceAnchors, sourceDeletions: result.sourceDeletions, orphans, summary: result.summary, violations: result.violations, problems: result.problems };
      },
      async (cmd, { manager, publish }, outcome) => {
        const problems = outcome.problems.map((p) => ({ code: p.code, message: p.message, details: p.details }));
        await manager
          .createQueryBuilder()
          .insert()
          .into(PlanRow)
          .values({ runId: cmd.runId, planRef: outcome.ok ? outcome.ref : null, summary: outcome.ok ? { ...outcome.summary } : {}, violations: outcome.ok ? outcome.violations : [], problems, orphansRef: outcome.ok ? outcome.orphans : null })
          .orIgnore()
          .execute();
        if (!outcome.ok) {
          await publish(Subjects.planFailed, { runId: cmd.runId, errors: problems });
          return;
        }
        await publish(Subjects.planComputed, { runId: cmd.runId, plan: outcome.ref, links: outcome.links, sourceAnchors: outcome.sourceAnchors, sourceDeletions: outcome.sourceDeletions, summary: outcome.summary, violations: outcome.violations, problems });
      },
    );
  }
}

function* mapLines<T>(items: Iterable<T>, f: (t: T) => string): Iterable<string> {
  for (const i of items) yield f(i);
}
