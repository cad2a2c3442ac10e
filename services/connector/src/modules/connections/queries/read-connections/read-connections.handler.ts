import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { ConnectionRepository } from '../../connection.repository';

@Injectable()
export class ReadConnectionsHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getConnection, async ({ connectionId }) => ConnectionRepository.toContract(await this.connections.get(connectionId)));
    this.bus.answer(Subjects.listConnections, async () => ({ connections: (await this.connections.list()).map(ConnectionRepository.toContract) }));
  }
}
