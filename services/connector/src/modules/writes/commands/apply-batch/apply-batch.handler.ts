import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IdsyncError, OperationKind, OperationStatus, Subjects, ValueMode, type Operation } from '@idsync/contracts';
import type { AttributeChangeOp, Connector, ConnectorOperation, OperationOutcome } from '@idsync/connector-core';
import { MessageBus } from '@idsync/messaging';
import type { Logger } from '@idsync/observability';
import { LOGGER } from '@idsync/runtime';
import { ConnectionRepository } from '../../../connections/connection.repository';
import { buildConnector } from '../../../connections/connector.factory';

/** Tries of a batch whose destination cannot be reached (with the bus's backoff: about 15 s). */
export const GIVE_UP_AFTER = 5;

/** Tries of the operations a destination answered "retryable" (a lost connection mid-batch), within one delivery. */
export const OPERATION_TRIES = 4;
const OPERATION_BACKOFF_MS = 250;

const kinds: Record<number, ConnectorOperation['kind']> = {
  [OperationKind.CREATE]: 'create',
  [OperationKind.UPDATE]: 'update',
  [OperationKind.DELETE]: 'delete',
  [OperationKind.DISABLE]: 'disable',
  [OperationKind.RENAME]: 'rename',
};

const statuses: Record<OperationOutcome['status'], OperationStatus> = {
  succeeded: OperationStatus.SUCCEEDED,
  retryable: OperationStatus.RETRYABLE,
  failed: OperationStatus.FAILED,
};

/**
 * Applies a batch of planned operations to a destination. Operations are idempotent at the
 * connector ("already exists" on create, "no such object" on delete are success), so a
 * batch delivered again after a crash changes nothing twice. When the destination cannot be
 * reached at all, the command is retried with backoff by the bus.
 */
@Injectable()
export class ApplyBatchHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.bus.process(
      Subjects.applyBatch,
      async (cmd, _envelope, delivery) => {
        const connector = buildConnector(await this.connections.resolve(cmd.connectionId));
        try {
          const outcomes = await applyWithRetries(connector, cmd.operations.map(toConnectorOperation));
          const anchors = await this.createdAnchors(connector, cmd.operations, outcomes, cmd.runId);
          return cmd.operations.map((op, i) => ({ index: op.index, status: statuses[outcomes[i].status], message: outcomes[i].message ?? '', anchor: anchors.get(op.dn) ?? '' }));
        } catch (e) {
          const err = e as { code?: string; message: string; retryable?: boolean };
          this.log.warn({ runId: cmd.runId, batch: cmd.batchNo, delivery, err: err.message }, 'batch could not be applied');
          // Past the last try, every operation gets a final failed result, so the run ends
          // (with failures to look at) instead of waiting forever on a dead-lettered batch.
          if (delivery >= GIVE_UP_AFTER || err.retryable === false) {
            const message = `not applied after ${delivery} tries: ${err.code ?? 'CONNECTOR.WRITE_FAILED'}: ${err.message}`;
            return cmd.operations.map((op) => ({ index: op.index, status: OperationStatus.FAILED, message }));
          }
          throw new IdsyncError(err.code ?? 'CONNECTOR.WRITE_FAILED', err.message, { runId: cmd.runId, batch: String(cmd.batchNo) }, err.retryable ?? true);
        } finally {
          await connector.close().catch(() => undefined);
        }
      },
      async (cmd, { publish }, results) => {
        await publish(Subjects.batchApplied, { runId: cmd.runId, batchNo: cmd.batchNo, results });
      },
    );
  }

  /**
   * The anchors of the objects this batch created, read back where the connector can, so their
   * links are known at once. Reading them is a convenience: if it fails, the links wait for the
   * next run that matches the objects, and the batch's results stand.
   */
  private async createdAnchors(connector: Connector, operations: Operation[], outcomes: OperationOutcome[], runId: string): Promise<Map<string, string>> {
    const created = operations.filter((op, i) => op.kind === OperationKind.CREATE && outcomes[i].status === 'succeeded').map((op) => op.dn);
    if (!created.length || !connector.readAnchors) return new Map();
    try {
      return await connector.readAnchors(created);
    } catch (e) {
      this.log.warn({ runId, err: (e as Error).message }, 'anchors of created objects not read; their links wait for the next run');
      return new Map();
    }
  }
}

/**
 * Applies the operations, then again those answered "retryable", with backoff (250 ms, 500 ms,
 * 1 s): operations are idempotent, so trying one again never applies it twice. What is still
 * retryable after the last try is recorded as such.
 */
export async function applyWithRetries(connector: Connector, operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
  const outcomes = await connector.apply(operations);
  for (let attempt = 1; attempt < OPERATION_TRIES; attempt++) {
    const again = outcomes.flatMap((o, i) => (o.status === 'retryable' ? [i] : []));
    if (!again.length) break;
    await new Promise((resolve) => setTimeout(resolve, OPERATION_BACKOFF_MS * 2 ** (attempt - 1)));
    const retried = await connector.apply(again.map((i) => operations[i]));
    again.forEach((i, k) => (outcomes[i] = retried[k]));
  }
  return outcomes;
}

function toConnectorOperation(op: Operation): ConnectorOperation {
  return {
    kind: kinds[op.kind],
    dn: op.dn,
    ...(op.kind === OperationKind.RENAME && { newDn: op.newDn }),
    objectClasses: op.objectClasses,
    // For add and remove, `after` holds the values that join or leave.
    changes: op.changes.map((c) => ({ attribute: c.attribute, values: c.after?.values ?? [], ...(modes[c.mode] && { mode: modes[c.mode] }) })),
  };
}

/** Unspecified is replace, as a change without a mode always was; replace itself is left implicit too. */
const modes: Partial<Record<ValueMode, AttributeChangeOp['mode']>> = { [ValueMode.ADD]: 'add', [ValueMode.REMOVE]: 'remove' };
