import { bootstrapService } from '@idsync/runtime';
import { WorkflowModule } from './workflow.module';

void bootstrapService('workflow', (p) => WorkflowModule.register(p));
