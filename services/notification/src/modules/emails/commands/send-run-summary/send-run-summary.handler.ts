import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects, type Run } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import type { Transporter } from 'nodemailer';
import { NOTIFICATION_CONFIG, MAILER, type NotificationConfig } from '../../../../notification.config';
import { runSummary } from './run-summary';

/**
 * Emails a run summary to the job's recipients when a run completes, fails or is stopped by
 * a threshold. Sending happens outside the transaction; if the process dies between the
 * send and the commit, the summary is sent again (at least once), with the same Message-ID
 * so a mail system can drop the copy.
 */
@Injectable()
export class SendRunSummaryHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(MAILER) private readonly mailer: Transporter,
    @Inject(NOTIFICATION_CONFIG) private readonly config: NotificationConfig,
  ) {}

  onModuleInit(): void {
    for (const def of [Subjects.runCompleted, Subjects.runFailed, Subjects.runBlocked]) {
      this.bus.process(
        def,
        async ({ run }, envelope) => {
          const to = run?.job?.notify ?? [];
          if (!run || to.length === 0) return undefined;
          const { subject, text } = runSummary(run as Run, this.config.portalUrl);
          const messageId = `<${envelope.id}@idsync>`;
          await this.mailer.sendMail({ from: this.config.from, to, subject, text, messageId, headers: { 'X-Idsync-Run': run.id } });
          return { to, subject, messageId };
        },
        async ({ run }, { publish }, sent) => {
          if (sent && run) await publish(Subjects.emailSent, { runId: run.id, recipients: sent.to, subject: sent.subject, messageId: sent.messageId });
        },
      );
    }
  }
}
