import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { create, ConnectionSpecSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { ConnectionRepository } from '../../connection.repository';

/** Registers or replaces a connection; the answer never carries a secret. */
@Injectable()
export class SaveConnectionHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.saveConnection, async ({ connection, secrets }) => {
      const row = await this.bus.transaction((m) => this.connections.save(m, create(ConnectionSpecSchema, connection ?? {}), secrets));
      return ConnectionRepository.toContract(row);
    });
  }
}
