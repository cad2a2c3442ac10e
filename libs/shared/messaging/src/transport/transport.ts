/**
 * What the messaging library needs from a bus. Two implementations: JetStream (distributed)
 * and the embedded bus (one process, durable in the embedded database). Both give
 * at-least-once delivery with de-duplication by message id; handlers are made idempotent by
 * the inbox, so "at least once" becomes "effectively once".
 */
export interface TransportMessage {
  id: string;
  subject: string;
  body: string;
  /** 1 on first delivery. */
  deliveryCount: number;
}

export type HandleResult =
  | { kind: 'ack' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead'; reason: string };

export interface ConsumerSpec {
  /** Durable consumer name, unique per service and purpose. */
  durable: string;
  subjects: string[];
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface Transport {
  /** Resolves once the bus has stored the message (a JetStream ack). */
  publish(subject: string, id: string, body: string): Promise<void>;
  /** Messages are handed over one at a time per consumer, in order. */
  consume(spec: ConsumerSpec, handler: (m: TransportMessage) => Promise<HandleResult>): Promise<Subscription>;
  /** Answers requests on a subject (one answerer per request across replicas). */
  serve(subject: string, handler: (body: string) => Promise<string>): Promise<Subscription>;
  request(subject: string, body: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}
