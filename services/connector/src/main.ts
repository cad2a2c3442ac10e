import { bootstrapService } from '@idsync/runtime';
import { ConnectorModule } from './connector.module';

void bootstrapService('connector', (p) => ConnectorModule.register(p));
