import { ChangeRecordRow } from './change-record.entity';
import { ChangeRecords1763900000100 } from './migrations/1763900000100-change-records';

export const historyEntities = [ChangeRecordRow];
export const historyMigrations = [ChangeRecords1763900000100];
export { ChangeRecordRow };
