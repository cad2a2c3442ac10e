import { connect } from '@nats-io/transport-node';
import { nanos, type NatsConnection, type Subscription as NatsSubscription } from '@nats-io/nats-core';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type ConsumerMessages,
} from '@nats-io/jetstream';
import { Subjects } from '@idsync/contracts';
import type { ConsumerSpec, HandleResult, Subscription, Transport, TransportMessage } from './transport';

export interface JetStreamOptions {
  servers: string;
  /** Stream that stores every idsync subject. */
  stream?: string;
  /**
   * Put in front of every subject, e.g. "t42." so that test runs on a shared server never
   * see each other's messages. Empty in production: subjects are exactly the registry's.
   */
  subjectPrefix?: string;
  /** How long a delivery may stay unacknowledged before redelivery (handlers heartbeat). */
  ackWaitMs?: number;
  name?: string;
}

/**
 * Events, commands and dead letters are stored; requests are not (a stream that captured a
 * request subject would answer it with its own publish acknowledgement).
 */
export function streamSubjects(): string[] {
  return [...Object.values(Subjects).filter((d) => d.kind !== 'request').map((d) => d.subject), 'idsync.deadletter.>'];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * JetStream transport: one file-backed stream for all idsync subjects, a durable pull
 * consumer per handler, publish with the event id as Nats-Msg-Id (server de-duplication).
 *
 * @example
 *   const t = await JetStreamTransport.connect({ servers: 'nats://127.0.0.1:4222' });
 */
export class JetStreamTransport implements Transport {
  private readonly subs: Subscription[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly prefix: string,
    private readonly ackWaitMs: number,
  ) {}

  static async connect(opts: JetStreamOptions): Promise<JetStreamTransport> {
    const nc = await connect({ servers: opts.servers, name: opts.name, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    const prefix = opts.subjectPrefix ?? '';
    const stream = opts.stream ?? 'IDSYNC';
    const config = {
      name: stream,
      subjects: streamSubjects().map((s) => prefix + s),
      storage: StorageType.File,
      // Long enough to swallow a relay re-publishing after a crash.
      duplicate_window: nanos(10 * 60_000),
    };
    try {
      await jsm.streams.info(stream);
      await jsm.streams.update(stream, { subjects: config.subjects, duplicate_window: config.duplicate_window });
    } catch {
      await jsm.streams.add(config);
    }
    return new JetStreamTransport(nc, jetstream(nc), jsm, stream, prefix, opts.ackWaitMs ?? 30_000);
  }

  /** The connection, for the object store that lives beside the stream. */
  get connection(): NatsConnection {
    return this.nc;
  }

  /** The subject prefix, reused as the object store bucket prefix. */
  get namespace(): string {
    return this.prefix;
  }

  async publish(subject: string, id: string, body: string): Promise<void> {
    await this.js.publish(this.prefix + subject, enc.encode(body), { msgID: id });
  }

  async consume(spec: ConsumerSpec, handler: (m: TransportMessage) => Promise<HandleResult>): Promise<Subscription> {
    const durable = spec.durable.replace(/[^A-Za-z0-9_-]/g, '_');
    const filters = spec.subjects.map((s) => this.prefix + s);
    const cfg = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.ackWaitMs),
      // Redelivery is decided by the handler's result (backoff, dead letter), not by a cap here.
      max_deliver: -1,
      // filter_subjects (plural) needs nats-server 2.10; one subject per consumer works everywhere.
      ...(filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters }),
    };
    try {
      await this.jsm.consumers.info(this.stream, durable);
      await this.jsm.consumers.update(this.stream, durable, { ack_wait: cfg.ack_wait });
    } catch {
      await this.jsm.consumers.add(this.stream, cfg);
    }
    const consumer = await this.js.consumers.get(this.stream, durable);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: 16 });
    const heartbeatMs = Math.max(1000, Math.floor(this.ackWaitMs / 3));
    const loop = (async () => {
      for await (const m of messages) {
        // Tell the server we are still working on it, so a long handler is not redelivered.
        const beat = setInterval(() => m.working(), heartbeatMs);
        try {
          const result = await handler({
            id: m.headers?.get('Nats-Msg-Id') ?? `${this.stream}:${m.seq}`,
            subject: m.subject.slice(this.prefix.length),
            body: dec.decode(m.data),
            deliveryCount: m.info.deliveryCount,
          });
          if (result.kind === 'ack') await m.ackAck();
          else if (result.kind === 'retry') m.nak(result.delayMs);
          else m.term(result.reason.slice(0, 200));
        } catch {
          m.nak(1000);
        } finally {
          clearInterval(beat);
        }
      }
    })();
    const sub: Subscription = {
      stop: async () => {
        await messages.close();
        await loop.catch(() => undefined);
      },
    };
    this.subs.push(sub);
    return sub;
  }

  async serve(subject: string, handler: (body: string) => Promise<string>): Promise<Subscription> {
    // A queue group: with several replicas, one answers each request.
    const sub: NatsSubscription = this.nc.subscribe(this.prefix + subject, { queue: 'idsync' });
    const loop = (async () => {
      for await (const m of sub) {
        const answer = enc.encode(await handler(dec.decode(m.data)));
        // An answer over the server's max payload would be dropped and the asker left waiting.
        if (answer.length > this.nc.info!.max_payload) {
          m.respond(enc.encode(JSON.stringify({ error: { code: 'REQUEST.TOO_LARGE', message: `the answer (${answer.length} bytes) exceeds the bus's message size: ask for a smaller page` } })));
        } else {
          m.respond(answer);
        }
      }
    })();
    const s: Subscription = {
      stop: async () => {
        sub.unsubscribe();
        await loop.catch(() => undefined);
      },
    };
    this.subs.push(s);
    return s;
  }

  async request(subject: string, body: string, timeoutMs: number): Promise<string> {
    const answer = await this.nc.request(this.prefix + subject, enc.encode(body), { timeout: timeoutMs });
    return dec.decode(answer.data);
  }

  /** Deletes the stream (tests clean up after themselves). */
  async destroy(): Promise<void> {
    await this.close();
    const nc = await connect({ servers: this.nc.getServer() });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(this.stream);
    } finally {
      await nc.close();
    }
  }

  async close(): Promise<void> {
    for (const s of this.subs.splice(0)) await s.stop();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
