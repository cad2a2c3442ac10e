import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { create, JobSpecSchema, Subjects, toJson } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { randomUUID } from 'node:crypto';
import { JobRow } from '../../../../database';
import { validateJob } from './job-validation';

/** Creates a job, or replaces it with a new version (runs keep the version they started with). */
@Injectable()
export class SaveJobHandler implements OnModuleInit {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.saveJob, async ({ job }) => {
      const spec = create(JobSpecSchema, job ?? {});
      validateJob(spec);
      return this.bus.transaction(async (m) => {
        const repo = m.getRepository(JobRow);
        const existing = spec.id ? await repo.findOneBy({ id: spec.id }) : null;
        spec.id = spec.id || randomUUID();
        spec.version = (existing?.version ?? 0) + 1;
        await repo.save({ id: spec.id, name: spec.name, spec: toJson(JobSpecSchema, spec) as Record<string, unknown>, version: spec.version });
        return spec;
      });
    });
  }
}
