/** The synchronization service's one door for the embedded launcher: its root module. */
export { SynchronizationModule } from './synchronization.module';
