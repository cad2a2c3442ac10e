import { Subjects } from '@idsync/contracts';
import { stringify } from 'yaml';

/**
 * The AsyncAPI document of idsync's bus, generated from the subject registry, so that a
 * system outside idsync can subscribe knowing every subject and the message it carries.
 * `npm run generate` writes docs/asyncapi.yaml; the test command fails if it is stale.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(Subjects)) {
    const messageName = def.schema.typeName;
    messages[messageName] = {
      name: messageName,
      contentType: 'application/json',
      summary: `idsync.common.v1.Envelope whose payloadJson is the protobuf JSON of ${messageName}`,
      payload: { schemaFormat: 'application/vnd.google.protobuf;version=3', schema: `proto/${def.schema.file.name}.proto#${messageName}` },
    };
    channels[name] = {
      address: def.subject,
      description: `${def.description} (${def.kind}, ${def.kind === 'event' ? 'published' : 'handled'} by ${def.owner})`,
      messages: { [messageName]: { $ref: `#/components/messages/${messageName}` } },
    };
    operations[name] = {
      action: def.kind === 'event' ? 'send' : 'receive',
      channel: { $ref: `#/channels/${name}` },
      summary: def.description,
      ...(def.kind === 'request' && def.reply ? { reply: { address: { location: '$message.header#/replyTo' }, messages: [{ $ref: `#/components/messages/${def.reply.typeName}` }] } } : {}),
    };
    if (def.kind === 'request' && def.reply) {
      messages[def.reply.typeName] ??= {
        name: def.reply.typeName,
        contentType: 'application/json',
        summary: `{"ok": protobuf JSON of ${def.reply.typeName}} or {"error": {code, message, details}}`,
        payload: { schemaFormat: 'application/vnd.google.protobuf;version=3', schema: `proto/${def.reply.file.name}.proto#${def.reply.typeName}` },
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'idsync bus',
      version: '1',
      description:
        'Events and commands travel on NATS JetStream (stream IDSYNC, message id = envelope id); requests use core NATS request/reply. Dead letters: idsync.deadletter.<consumer>.v1.',
    },
    servers: { nats: { host: 'nats:4222', protocol: 'nats' } },
    channels,
    operations,
    components: { messages },
  };
}

export function asyncApiYaml(): string {
  return '# Generated from libs/shared/contracts/src/subjects.ts by `npm run generate`. Do not edit.\n' + stringify(asyncApiDocument(), { lineWidth: 0 });
}

if (require.main === module) {
  require('node:fs').writeFileSync(require('node:path').join(__dirname, '..', 'docs', 'asyncapi.yaml'), asyncApiYaml());
}
