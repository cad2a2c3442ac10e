import { bootstrapService } from '@idsync/runtime';
import { HistoryModule } from './history.module';

void bootstrapService('history', (p) => HistoryModule.register(p));
