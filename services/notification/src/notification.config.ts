import { loadEnv, str } from '@idsync/observability';

export interface NotificationConfig {
  smtpUrl: string;
  from: string;
  portalUrl: string;
}

export const NOTIFICATION_CONFIG = Symbol('NOTIFICATION_CONFIG');
export const MAILER = Symbol('MAILER');

export function notificationConfigFromEnv(): NotificationConfig {
  const env = loadEnv('NOTIFICATION', {
    SMTP_URL: str({ default: 'smtp://127.0.0.1:1025', doc: 'SMTP server, e.g. smtp://user:pass@mail:587' }),
    FROM: str({ default: 'idsync <idsync@localhost>' }),
    PORTAL_URL: str({ default: 'http://127.0.0.1:8080' }),
  });
  return { smtpUrl: env.SMTP_URL, from: env.FROM, portalUrl: env.PORTAL_URL };
}
