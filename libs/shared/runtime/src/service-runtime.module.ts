import { Inject, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus, MessagingTables1763900000000 } from '@idsync/messaging';
import { createLogger, type Logger } from '@idsync/observability';
import { createServiceDataSource, initializeServiceDataSource } from '@idsync/persistence';
import { DataSource } from 'typeorm';
import { BLOBS, LOGGER, PLATFORM, SERVICE_NAME, type Platform } from './platform';

export interface ServiceRuntimeOptions {
  service: string;
  platform: Platform;
  entities: Function[];
  /** The service's own migrations; the messaging tables' migration runs first. */
  migrations: Function[];
}

class BusLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.bus.stop();
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/**
 * Gives a service its data source (its own schema, migrations run at boot), its message
 * bus (handlers registered in onModuleInit start consuming once the app is bootstrapped),
 * the blob store and a logger.
 *
 * @example
 *   @Module({ imports: [ServiceRuntimeModule.forService({ service: 'history', platform, entities, migrations })] })
 *   export class HistoryModule {}
 */
@Module({})
export class ServiceRuntimeModule {
  static forService(opts: ServiceRuntimeOptions): DynamicModule {
    const logger = createLogger(opts.service, opts.platform.logLevel);
    return {
      module: ServiceRuntimeModule,
      global: true,
      providers: [
        { provide: PLATFORM, useValue: opts.platform },
        { provide: SERVICE_NAME, useValue: opts.service },
        { provide: LOGGER, useValue: logger },
        { provide: BLOBS, useValue: opts.platform.blobs },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createServiceDataSource({
              url: opts.platform.databaseUrl,
              schema: opts.service,
              entities: opts.entities,
              migrations: [MessagingTables1763900000000, ...opts.migrations],
              embedded: opts.platform.embedded,
            });
            await initializeServiceDataSource(ds);
            return ds;
          },
        },
        {
          provide: MessageBus,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new MessageBus({ service: opts.service, dataSource: ds, transport: opts.platform.transport, logger }),
        },
        BusLifecycle,
      ],
      exports: [PLATFORM, SERVICE_NAME, LOGGER, BLOBS, DataSource, MessageBus],
    };
  }
}

export type { Logger };
