import {
  ContractError,
  decodeEnvelope,
  deadLetterSubject,
  encodeEnvelope,
  IdsyncError,
  isIdsyncError,
  openPayload,
  seal,
  fromJsonString,
  toJsonString,
  create,
  type DescMessage,
  type Envelope,
  type EnvelopeMeta,
  type MessageInitShape,
  type MessageShape,
  type SubjectDef,
} from '@idsync/contracts';
import { contextFrom, currentTraceparent, inSpan, SpanKind, type Logger } from '@idsync/observability';
import { qualifiedTable, returnedRows } from '@idsync/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox/outbox-relay';
import type { HandleResult, Subscription, Transport, TransportMessage } from './transport/transport';

export interface BusContext {
  envelope: Envelope;
  /** The transaction the handler runs in: the inbox record, the state and the outbox commit together. */
  manager: EntityManager;
  /** Writes a message to the outbox in this transaction, caused by the message handled. */
  publish<S extends DescMessage>(def: SubjectDef<S, DescMessage | undefined>, payload: MessageInitShape<S>, meta?: Partial<EnvelopeMeta>): Promise<string>;
}

export interface MessageBusOptions {
  service: string;
  dataSource: DataSource;
  transport: Transport;
  logger?: Logger;
  /** Deliveries before a failing message goes to the dead letters. */
  maxDeliver?: number;
  /** Delay before redelivery number n+1 (n = deliveries so far). */
  backoffMs?: (deliveries: number) => number;
  relayIntervalMs?: number;
  requestTimeoutMs?: number;
}

type Handler = (payload: never, ctx: BusContext, prepared?: unknown) => Promise<void>;
type Work = (payload: never, envelope: Envelope, delivery: number) => Promise<unknown>;
type Answerer = (payload: never, ctx: { envelope: Envelope }) => Promise<unknown>;

/**
 * A service's door to the bus: transactional outbox, relay, idempotent inbox, ack after
 * commit, backoff and dead letters. Services write plain handlers.
 *
 * @example
 *   const bus = new MessageBus({ service: 'history', dataSource, transport });
 *   bus.on(Subjects.objectChanged, async (change, { manager }) => { await manager.insert(...); });
 *   bus.answer(Subjects.queryChanges, async (q) => ({ changes: [], total: 0 }));
 *   await bus.start();
 */
export class MessageBus {
  private readonly handlers = new Map<string, { def: SubjectDef<DescMessage, DescMessage | undefined>; fn: Handler; work?: Work }>();
  private readonly answerers = new Map<string, { def: SubjectDef<DescMessage, DescMessage>; fn: Answerer }>();
  private readonly subs: Subscription[] = [];
  private readonly relay: OutboxRelay;
  private readonly maxDeliver: number;
  private readonly backoff: (n: number) => number;

  constructor(private readonly opts: MessageBusOptions) {
    this.maxDeliver = opts.maxDeliver ?? 8;
    this.backoff = opts.backoffMs ?? ((n) => Math.min(500 * 2 ** (n - 1), 30_000));
    this.relay = new OutboxRelay(opts.dataSource, opts.transport, opts.relayIntervalMs ?? 500, opts.logger);
  }

  get service(): string {
    return this.opts.service;
  }

  on<S extends DescMessage>(def: SubjectDef<S, DescMessage | undefined>, fn: (payload: MessageShape<S>, ctx: BusContext) => Promise<void>): this {
    if (def.kind === 'request') throw new Error(`${def.subject} is a request: use answer()`);
    this.handlers.set(def.subject, { def: def as never, fn: fn as Handler });
    return this;
  }

  /**
   * A handler in two steps: `work` runs outside any transaction (reading a directory,
   * writing a blob, calling LDAP: long and must not hold the database), then `commit` runs
   * in the inbox transaction with work's result. Work must be safe to repeat: after a crash
   * between the two, the message is delivered again and work runs again. `delivery` counts
   * from 1, so work can give up with a result before the bus gives up with a dead letter.
   */
  process<S extends DescMessage, T>(
    def: SubjectDef<S, DescMessage | undefined>,
    work: (payload: MessageShape<S>, envelope: Envelope, delivery: number) => Promise<T>,
    commit: (payload: MessageShape<S>, ctx: BusContext, result: T) => Promise<void>,
  ): this {
    this.handlers.set(def.subject, { def: def as never, fn: commit as Handler, work: work as Work });
    return this;
  }

  answer<S extends DescMessage, R extends DescMessage>(
    def: SubjectDef<S, R>,
    fn: (payload: MessageShape<S>, ctx: { envelope: Envelope }) => Promise<MessageInitShape<R>>,
  ): this {
    this.answerers.set(def.subject, { def: def as never, fn: fn as Answerer });
    return this;
  }

  async start(): Promise<void> {
    for (const { def, fn, work } of this.handlers.values()) {
      const durable = `${this.opts.service}__${def.subject}`.replace(/[^A-Za-z0-9_-]/g, '_');
      this.subs.push(await this.opts.transport.consume({ durable, subjects: [def.subject] }, (m) => this.deliver(durable, def, fn, m, work)));
    }
    for (const { def, fn } of this.answerers.values()) {
      this.subs.push(await this.opts.transport.serve(def.subject, (body) => this.respond(def, fn, body)));
    }
    this.relay.start();
  }

  async stop(): Promise<void> {
    for (const s of this.subs.splice(0)) await s.stop();
    await this.relay.stop();
  }

  /** Adds a message to the outbox inside `manager`'s transaction. */
  async publish<S extends DescMessage>(
    manager: EntityManager,
    def: SubjectDef<S, DescMessage | undefined>,
    payload: MessageInitShape<S>,
    meta: EnvelopeMeta,
  ): Promise<string> {
    const envelope = seal(def, this.opts.service, payload, { ...meta, traceparent: meta.traceparent ?? currentTraceparent() });
    await manager.query(
      `INSERT INTO ${this.table('outbox')} (id, subject, body) VALUES ($1, $2, $3)`,
      [envelope.id, def.subject, encodeEnvelope(envelope)],
    );
    return envelope.id;
  }

  /** Runs `work` in a transaction, then wakes the relay so its messages leave at once. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.opts.dataSource.transaction(work);
    this.relay.wake();
    return result;
  }

  async request<S extends DescMessage, R extends DescMessage>(
    def: SubjectDef<S, R>,
    payload: MessageInitShape<S>,
    meta: Partial<EnvelopeMeta> = {},
  ): Promise<MessageShape<R>> {
    const raw = await inSpan(`request ${def.subject}`, { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': def.subject } }, async () => {
      const envelope = seal(def, this.opts.service, payload, { correlationId: meta.correlationId ?? '', ...meta, traceparent: currentTraceparent() });
      try {
        return await this.opts.transport.request(def.subject, encodeEnvelope(envelope), this.opts.requestTimeoutMs ?? 15_000);
      } catch (e) {
        throw new IdsyncError('SERVICE.UNAVAILABLE', `${def.owner} did not answer ${def.subject}: ${(e as Error).message}`, { subject: def.subject }, true);
      }
    });
    const answer = JSON.parse(raw) as { ok?: string; error?: { code: string; message: string; details?: Record<string, string> } };
    if (answer.error) throw new IdsyncError(answer.error.code, answer.error.message, answer.error.details ?? {});
    return fromJsonString(def.reply, answer.ok ?? '{}', { ignoreUnknownFields: true });
  }

  private async respond(def: SubjectDef<DescMessage, DescMessage>, fn: Answerer, body: string): Promise<string> {
    try {
      const envelope = decodeEnvelope(body);
      const payload = openPayload(def, envelope);
      const result = await inSpan(`answer ${def.subject}`, { kind: SpanKind.SERVER, parent: contextFrom(envelope.traceparent), attributes: { 'messaging.destination.name': def.subject } }, () =>
        fn(payload as never, { envelope }),
      );
      this.relay.wake();
      return JSON.stringify({ ok: toJsonString(def.reply, create(def.reply, result as never)) });
    } catch (e) {
      if (isIdsyncError(e)) return JSON.stringify({ error: { code: e.code, message: e.message, details: e.details } });
      if (e instanceof ContractError) return JSON.stringify({ error: { code: e.code, message: e.message } });
      this.opts.logger?.error({ err: e, subject: def.subject }, 'request failed');
      return JSON.stringify({ error: { code: 'INTERNAL', message: (e as Error).message } });
    }
  }

  private async deliver(
    consumer: string,
    def: SubjectDef<DescMessage, DescMessage | undefined>,
    fn: Handler,
    m: TransportMessage,
    work?: Work,
  ): Promise<HandleResult> {
    let envelope: Envelope;
    let payload: unknown;
    try {
      envelope = decodeEnvelope(m.body);
      payload = openPayload(def, envelope);
    } catch (e) {
      return this.bury(consumer, m, (e as Error).message);
    }
    const span = {
      kind: SpanKind.CONSUMER,
      parent: contextFrom(envelope.traceparent),
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': def.subject, 'messaging.message.id': envelope.id, 'idsync.run_id': envelope.correlationId, 'messaging.consumer.group.name': consumer },
    };
    return inSpan(`process ${def.subject}`, span, () => this.handle(consumer, def, fn, m, envelope, payload, work));
  }

  private async handle(
    consumer: string,
    def: SubjectDef<DescMessage, DescMessage | undefined>,
    fn: Handler,
    m: TransportMessage,
    envelope: Envelope,
    payload: unknown,
    work?: Work,
  ): Promise<HandleResult> {
    try {
      let prepared: unknown;
      if (work) {
        const seen: unknown[] = await this.opts.dataSource.query(
          `SELECT 1 FROM ${this.table('inbox')} WHERE consumer = $1 AND message_id = $2`,
          [consumer, envelope.id],
        );
        if (seen.length) return { kind: 'ack' };
        prepared = await work(payload as never, envelope, m.deliveryCount);
      }
      await this.opts.dataSource.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO ${this.table('inbox')} (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`,
          [consumer, envelope.id],
        );
        if (returnedRows(inserted).length === 0) return; // handled before: a redelivery
        const ctx: BusContext = {
          envelope,
          manager,
          publish: (d, p, meta) =>
            this.publish(manager, d, p, { correlationId: envelope.correlationId, causationId: envelope.id, ...meta }),
        };
        await fn(payload as never, ctx, prepared);
      });
      this.relay.wake();
      return { kind: 'ack' };
    } catch (e) {
      const reason = describe(e);
      if (isIdsyncError(e) && !e.retryable) return this.bury(consumer, m, reason);
      if (m.deliveryCount >= this.maxDeliver) return this.bury(consumer, m, `gave up after ${m.deliveryCount} deliveries: ${reason}`);
      this.opts.logger?.warn({ consumer, messageId: m.id, deliveries: m.deliveryCount, err: reason }, 'handler failed, will retry');
      return { kind: 'retry', delayMs: this.backoff(m.deliveryCount) };
    }
  }

  private async bury(consumer: string, m: TransportMessage, reason: string): Promise<HandleResult> {
    this.opts.logger?.error({ consumer, messageId: m.id, subject: m.subject, reason }, 'message dead-lettered');
    await this.opts.dataSource.query(
      `INSERT INTO ${this.table('dead_letters')} (consumer, message_id, subject, body, reason, deliveries)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [consumer, m.id, m.subject, m.body, reason, m.deliveryCount],
    );
    // Also on the bus, so an operator (or another system) subscribed to dead letters sees it.
    await this.opts.transport
      .publish(deadLetterSubject(consumer), `${m.id}:dead`, JSON.stringify({ consumer, subject: m.subject, reason, body: m.body }))
      .catch(() => undefined);
    return { kind: 'dead', reason };
  }

  private table(name: string): string {
    return qualifiedTable(this.opts.dataSource, name);
  }
}

function describe(e: unknown): string {
  if (isIdsyncError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
