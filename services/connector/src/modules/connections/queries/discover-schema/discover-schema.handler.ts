import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ConnectorSchema as DiscoveredSchema } from '@idsync/connector-core';
import { AttributeType, SchemaOrigin, Subjects, type ConnectorSchemaSchema } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { ConnectionRepository } from '../../connection.repository';
import { buildConnector } from '../../connector.factory';

const TYPES: Record<DiscoveredSchema['objectTypes'][number]['attributes'][number]['type'], AttributeType> = {
  string: AttributeType.STRING,
  integer: AttributeType.INTEGER,
  decimal: AttributeType.DECIMAL,
  boolean: AttributeType.BOOLEAN,
  datetime: AttributeType.DATETIME,
  binary: AttributeType.BINARY,
  dn: AttributeType.DN,
};

const ORIGINS: Record<DiscoveredSchema['origin'], SchemaOrigin> = { peer: SchemaOrigin.PEER, standard: SchemaOrigin.STANDARD, observed: SchemaOrigin.OBSERVED };

/**
 * Answers idsync.connector.discover-schema.v1: connects to the connection's system and reads its schema (see
 * Connector.discover). Nothing is cached: the answer is what the system says now. The connector's own errors
 * (CONNECTOR.UNREACHABLE, CONNECTOR.AUTH_FAILED, SQL.NO_SUCH_TABLE...) reach the caller with their codes.
 */
@Injectable()
export class DiscoverSchemaHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.discoverSchema, async ({ connectionId }) => {
      const connector = buildConnector(await this.connections.resolve(connectionId));
      try {
        return toContract(connectionId, await connector.discover());
      } finally {
        await connector.close();
      }
    });
  }
}

export function toContract(connectionId: string, schema: DiscoveredSchema): MessageInitShape<typeof ConnectorSchemaSchema> {
  return {
    connectionId,
    origin: ORIGINS[schema.origin],
    objectTypes: schema.objectTypes.map((t) => ({
      ...t,
      attributes: t.attributes.map((a) => ({ name: a.name, type: TYPES[a.type], multiValued: a.multiValued, required: a.required, readOnly: a.readOnly ?? false })),
    })),
  };
}
