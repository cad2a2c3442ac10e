import type { DataSource } from 'typeorm';
import { returnedRows } from '@idsync/persistence';
import { subjectMatches } from './subject-match';
import type { ConsumerSpec, HandleResult, Subscription, Transport, TransportMessage } from './transport';

/**
 * The embedded bus: every service in one process, messages kept in the embedded
 * database (schema `bus`) so that what was published survives a crash or restart, like a
 * JetStream stream. A publish copies the message into the queue of every durable consumer
 * whose filter matches (unique per consumer and message id: de-duplication), and a
 * consumer deletes its copy only after its handler committed (ack after commit).
 *
 * Consumers are registered in the database, so a message published while a consumer is
 * not running waits for it.
 *
 * @example
 *   const bus = await EmbeddedTransport.open(busDataSource);
 */
export class EmbeddedTransport implements Transport {
  private consumers = new Map<string, string[]>();
  private readonly wakers = new Map<string, () => void>();
  private readonly servers = new Map<string, (body: string) => Promise<string>>();
  private readonly subs: Subscription[] = [];

  private constructor(private readonly ds: DataSource, private readonly schema: string) {}

  static async open(ds: DataSource, schema = 'bus'): Promise<EmbeddedTransport> {
    const t = new EmbeddedTransport(ds, schema);
    await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await ds.query(`CREATE TABLE IF NOT EXISTS "${schema}".consumers (durable text PRIMARY KEY, subjects text[] NOT NULL)`);
    await ds.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".queue (
         seq bigserial PRIMARY KEY, consumer text NOT NULL, id text NOT NULL, subject text NOT NULL, body text NOT NULL,
         deliveries int NOT NULL DEFAULT 0, available_at timestamptz NOT NULL DEFAULT now(), UNIQUE (consumer, id))`,
    );
    const rows: { durable: string; subjects: string[] }[] = await ds.query(`SELECT durable, subjects FROM "${schema}".consumers`);
    for (const r of rows) t.consumers.set(r.durable, r.subjects);
    return t;
  }

  async publish(subject: string, id: string, body: string): Promise<void> {
    const targets = [...this.consumers].filter(([, filters]) => filters.some((f) => subjectMatches(f, subject))).map(([d]) => d);
    if (targets.length === 0) return;
    await this.ds.query(
      `INSERT INTO "${this.schema}".queue (consumer, id, subject, body)
       SELECT unnest($1::text[]), $2, $3, $4 ON CONFLICT (consumer, id) DO NOTHING`,
      [targets, id, subject, body],
    );
    for (const d of targets) this.wakers.get(d)?.();
  }

  async consume(spec: ConsumerSpec, handler: (m: TransportMessage) => Promise<HandleResult>): Promise<Subscription> {
    await this.ds.query(
      `INSERT INTO "${this.schema}".consumers (durable, subjects) VALUES ($1, $2)
       ON CONFLICT (durable) DO UPDATE SET subjects = EXCLUDED.subjects`,
      [spec.durable, spec.subjects],
    );
    this.consumers.set(spec.durable, spec.subjects);
    let running = true;
    let wake: () => void = () => undefined;
    this.wakers.set(spec.durable, () => wake());
    const loop = (async () => {
      while (running) {
        type Row = { seq: string; id: string; subject: string; body: string; deliveries: number };
        const res: unknown[] = await this.ds.query(
          `UPDATE "${this.schema}".queue SET deliveries = deliveries + 1
           WHERE seq = (SELECT seq FROM "${this.schema}".queue WHERE consumer = $1 AND available_at <= now() ORDER BY seq LIMIT 1)
           RETURNING seq, id, subject, body, deliveries`,
          [spec.durable],
        );
        // TypeORM answers an UPDATE ... RETURNING on Postgres with [rows, affected].
        const m = returnedRows<Row>(res)[0];
        if (!m) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 250);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          continue;
        }
        let result: HandleResult;
        try {
          result = await handler({ id: m.id, subject: m.subject, body: m.body, deliveryCount: m.deliveries });
        } catch {
          result = { kind: 'retry', delayMs: 1000 };
        }
        if (result.kind === 'retry') {
          await this.ds.query(
            `UPDATE "${this.schema}".queue SET available_at = now() + ($2::int * interval '1 millisecond') WHERE seq = $1`,
            [m.seq, result.delayMs],
          );
        } else {
          await this.ds.query(`DELETE FROM "${this.schema}".queue WHERE seq = $1`, [m.seq]);
        }
      }
    })();
    const sub: Subscription = {
      stop: async () => {
        running = false;
        wake();
        await loop.catch(() => undefined);
      },
    };
    this.subs.push(sub);
    return sub;
  }

  async serve(subject: string, handler: (body: string) => Promise<string>): Promise<Subscription> {
    this.servers.set(subject, handler);
    return { stop: async () => void this.servers.delete(subject) };
  }

  async request(subject: string, body: string): Promise<string> {
    const h = this.servers.get(subject);
    if (!h) throw Object.assign(new Error(`no service answers ${subject}`), { code: 'MESSAGING.NO_RESPONDERS' });
    return h(body);
  }

  async close(): Promise<void> {
    for (const s of this.subs.splice(0)) await s.stop();
    this.servers.clear();
  }
}
