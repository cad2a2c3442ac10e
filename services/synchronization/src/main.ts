import { bootstrapService } from '@idsync/runtime';
import { SynchronizationModule } from './synchronization.module';

void bootstrapService('synchronization', (p) => SynchronizationModule.register(p));
