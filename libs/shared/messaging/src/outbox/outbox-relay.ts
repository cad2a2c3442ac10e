import type { Logger } from '@idsync/observability';
import { qualifiedTable } from '@idsync/persistence';
import type { DataSource } from 'typeorm';
import type { Transport } from '../transport/transport';

/**
 * Publishes what the outbox holds, oldest first, and marks it published. No transaction is
 * held while publishing (the embedded database has one session for everyone), so two
 * relays may publish the same row twice: the bus de-duplicates by message id and consumers
 * by their inbox, so a duplicate is harmless while a loss is not.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly ds: DataSource,
    private readonly transport: Transport,
    private readonly intervalMs: number,
    private readonly logger?: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  /** Called after a commit that wrote to the outbox. */
  wake(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Publishes everything pending; returns how many were published. */
  async drain(): Promise<number> {
    const outbox = qualifiedTable(this.ds, 'outbox');
    let total = 0;
    for (;;) {
      const rows: { seq: string; id: string; subject: string; body: string }[] = await this.ds.query(
        `SELECT seq, id, subject, body FROM ${outbox} WHERE published_at IS NULL ORDER BY seq LIMIT 200`,
      );
      if (rows.length === 0) return total;
      const done: string[] = [];
      try {
        for (const r of rows) {
          await this.transport.publish(r.subject, r.id, r.body);
          done.push(r.seq);
        }
      } finally {
        if (done.length) await this.ds.query(`UPDATE ${outbox} SET published_at = now() WHERE seq = ANY($1::bigint[])`, [done]);
      }
      total += done.length;
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = this.drain()
        .then(() => undefined)
        .catch((e) => this.logger?.warn({ err: (e as Error).message }, 'outbox relay failed, will retry'))
        .finally(() => {
          this.busy = undefined;
          if (!this.running) return;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.intervalMs);
        });
    }, ms);
  }
}
