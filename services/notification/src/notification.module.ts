import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { createTransport, type Transporter } from 'nodemailer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendRunSummaryHandler } from './modules/emails/commands/send-run-summary/send-run-summary.handler';
import { MAILER, NOTIFICATION_CONFIG, notificationConfigFromEnv, type NotificationConfig } from './notification.config';

/** notification: run summaries by email (SMTP through nodemailer). */
@Module({})
export class NotificationModule {
  static register(platform: Platform, config: NotificationConfig = notificationConfigFromEnv()): DynamicModule {
    return {
      module: NotificationModule,
      imports: [ServiceRuntimeModule.forService({ service: 'notification', platform, entities: [], migrations: [] })],
      providers: [
        { provide: NOTIFICATION_CONFIG, useValue: config },
        { provide: MAILER, useFactory: () => mailer(config.smtpUrl) },
        SendRunSummaryHandler,
      ],
    };
  }
}

/**
 * smtp://, smtps:// → a real SMTP server. file:///folder → each email written as an .eml
 * file there (the embedded default, when no mail server is configured).
 */
function mailer(url: string): Transporter {
  if (!url.startsWith('file://')) return createTransport(url);
  const dir = fileURLToPath(url);
  mkdirSync(dir, { recursive: true });
  const t = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const send = t.sendMail.bind(t);
  return Object.assign(t, {
    sendMail: async (mail: Parameters<Transporter['sendMail']>[0]) => {
      const info = await send(mail);
      const id = String(mail.messageId ?? info.messageId).replace(/[^A-Za-z0-9@._-]/g, '');
      writeFileSync(join(dir, `${id}.eml`), (info as unknown as { message: Buffer }).message);
      return info;
    },
  }) as Transporter;
}
