import { bootstrapService } from '@idsync/runtime';
import { NotificationModule } from './notification.module';

void bootstrapService('notification', (p) => NotificationModule.register(p));
