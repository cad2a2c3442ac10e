import { bootstrapService } from '@idsync/runtime';
import { PreparationModule } from './preparation.module';

void bootstrapService('preparation', (p) => PreparationModule.register(p));
