/** The history service's one door for the embedded launcher: its root module. */
export { HistoryModule } from './history.module';
