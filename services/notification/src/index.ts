/** The notification service's one door for the embedded launcher: its root module. */
export { NotificationModule } from './notification.module';
export type { NotificationConfig } from './notification.config';
