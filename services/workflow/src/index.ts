/** The workflow service's one door for the embedded launcher: its root module. */
export { WorkflowModule } from './workflow.module';
