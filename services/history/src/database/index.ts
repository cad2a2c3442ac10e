import { ChangeRecordRow } from './change-record.entity';
import { ChangeRecords1763900000100 } from './migrations/1763900000100-change-records';
import { Renames1763900000110 } from './migrations/1763900000110-renames';

export const historyEntities = [ChangeRecordRow];
export const historyMigrations = [ChangeRecords1763900000100, Renames1763900000110];
export { ChangeRecordRow };
