import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { AuthGuard, TOKENS } from './auth/auth.guard';
import { TokenRegistry } from './auth/tokens';
import { ErrorsFilter } from './errors.filter';
import { TracingInterceptor } from './tracing.interceptor';
import { gatewayConfigFromEnv, type GatewayConfig } from './gateway.config';
import { ConnectionsHttpController } from './modules/connections/connections.http.controller';
import { ExpressionsHttpController } from './modules/expressions/expressions.http.controller';
import { HealthHttpController } from './modules/health/health.http.controller';
import { HistoryHttpController } from './modules/history/history.http.controller';
import { JobsHttpController } from './modules/jobs/jobs.http.controller';
import { RunsHttpController } from './modules/runs/runs.http.controller';

/** gateway: the REST API (and its OpenAPI document) in front of the other services. */
@Module({})
export class GatewayModule {
  static register(platform: Platform, config: GatewayConfig = gatewayConfigFromEnv()): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServiceRuntimeModule.forService({ service: 'gateway', platform, entities: [], migrations: [] })],
      controllers: [HealthHttpController, ConnectionsHttpController, JobsHttpController, RunsHttpController, HistoryHttpController, ExpressionsHttpController],
      providers: [
        { provide: TOKENS, useValue: new TokenRegistry(config.tokens) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorsFilter },
        { provide: APP_INTERCEPTOR, useClass: TracingInterceptor },
      ],
    };
  }
}

/** Serves the OpenAPI document at /api/openapi.json (and a browsable page at /api/docs). */
export function configureGateway(app: INestApplication): void {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('idsync')
      .setDescription('Identity synchronization: connections, jobs, previews, runs, approvals, threshold reviews, history.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
}
