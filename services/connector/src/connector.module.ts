import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { CONNECTOR_CONFIG, connectorConfigFromEnv, type ConnectorConfig } from './connector.config';
import { connectorEntities, connectorMigrations } from './database';
import { SaveConnectionHandler } from './modules/connections/commands/save-connection/save-connection.handler';
import { ConnectionRepository } from './modules/connections/connection.repository';
import { DiscoverSchemaHandler } from './modules/connections/queries/discover-schema/discover-schema.handler';
import { ReadConnectionsHandler } from './modules/connections/queries/read-connections/read-connections.handler';
import { ExportSnapshotHandler } from './modules/snapshots/commands/export-snapshot/export-snapshot.handler';
import { ApplyBatchHandler } from './modules/writes/commands/apply-batch/apply-batch.handler';

/** connector: the only service that talks to external systems and holds their credentials. */
@Module({})
export class ConnectorModule {
  static register(platform: Platform, config: ConnectorConfig = connectorConfigFromEnv()): DynamicModule {
    return {
      module: ConnectorModule,
      imports: [ServiceRuntimeModule.forService({ service: 'connector', platform, entities: connectorEntities, migrations: connectorMigrations })],
      providers: [
        { provide: CONNECTOR_CONFIG, useValue: config },
        ConnectionRepository,
        SaveConnectionHandler,
        ReadConnectionsHandler,
        DiscoverSchemaHandler,
        ExportSnapshotHandler,
        ApplyBatchHandler,
      ],
    };
  }
}
