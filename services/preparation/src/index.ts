/** The preparation service's one door for the embedded launcher: its root module. */
export { PreparationModule } from './preparation.module';
