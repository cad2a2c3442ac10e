/**
 * @idsync/messaging — durability in one place: transactional outbox, relay, idempotent
 * inbox, ack after commit, retry with backoff, dead letters; over JetStream or the embedded bus.
 *
 * @example
 *   const transport = await JetStreamTransport.connect({ servers: process.env.NATS_URL! });
 *   const bus = new MessageBus({ service: 'history', dataSource, transport });
 *   bus.on(Subjects.objectChanged, async (change, { manager }) => { ... });
 *   await bus.start();
 */
export * from './transport/transport';
export * from './transport/jetstream.transport';
export * from './transport/embedded.transport';
export * from './transport/subject-match';
export * from './outbox/outbox.entity';
export * from './outbox/outbox-relay';
export * from './inbox/inbox.entity';
export * from './migrations/messaging-tables.migration';
export * from './message-bus';
export * from './blobs/blob-store';
export * from './blobs/nats-blob-store';
