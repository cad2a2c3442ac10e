import { ConnectionRow } from './connection.entity';
import { Connections1763900000300 } from './migrations/1763900000300-connections';

export const connectorEntities = [ConnectionRow];
export const connectorMigrations = [Connections1763900000300];
export { ConnectionRow };
