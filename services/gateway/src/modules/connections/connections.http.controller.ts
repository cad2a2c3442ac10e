import { Body, Controller, Get, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectionListSchema, ConnectionSpecSchema, ConnectorSchemaSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { Roles } from '../../auth/roles.decorator';
import { json, parseBody } from '../proto-json';

interface ConnectionBody {
  name?: string;
  kind?: string;
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
}

@ApiTags('connections')
@ApiBearerAuth()
@Controller('api/connections')
export class ConnectionsHttpController {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Register a connection (kind csv or ldap). Secrets are stored encrypted and never returned.' })
  @ApiBody({ schema: { example: { name: 'HR export', kind: 'csv', settings: { path: '/data/employees.csv' } } } })
  async create(@Body() body: ConnectionBody) {
    return this.save('', body);
  }

  @Put(':id')
  @Roles('operator')
  @ApiOperation({ summary: 'Replace a connection; omitted secrets keep their stored value.' })
  async replace(@Param('id') id: string, @Body() body: ConnectionBody) {
    return this.save(id, body);
  }

  @Get()
  @Roles('viewer', 'operator')
  async list() {
    return json(ConnectionListSchema, await this.bus.request(Subjects.listConnections, {}));
  }

  @Get(':id')
  @Roles('viewer', 'operator')
  async get(@Param('id') id: string) {
    return json(ConnectionSpecSchema, await this.bus.request(Subjects.getConnection, { connectionId: id }));
  }

  @Get(':id/schema')
  @Roles('viewer', 'operator')
  @ApiOperation({
    summary: "The object types and attributes the connection's system describes (its LDAP schema, its table's columns, its SCIM /Schemas, a file's header), read now.",
  })
  async schema(@Param('id') id: string) {
    return json(ConnectorSchemaSchema, await this.bus.request(Subjects.discoverSchema, { connectionId: id }));
  }

  private async save(id: string, body: ConnectionBody) {
    const { secrets, ...spec } = body ?? {};
    const connection = parseBody(ConnectionSpecSchema, { ...spec, id });
    return json(ConnectionSpecSchema, await this.bus.request(Subjects.saveConnection, { connection, secrets: secrets ?? {} }));
  }
}
