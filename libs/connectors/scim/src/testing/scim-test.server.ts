import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import SCIMMY from 'scimmy';

/**
 * An in-process SCIM 2.0 service provider for tests: SCIMMY parses, validates, filters and patches;
 * this file routes node:http requests to it and keeps resources in memory. Not part of the library.
 */
export interface ScimTestServer {
  /** Base URL, e.g. http://127.0.0.1:PORT/scim/v2 */
  url: string;
  token: string;
  users: Map<string, Record<string, unknown>>;
  groups: Map<string, Record<string, unknown>>;
  /** Every request, as "METHOD /path?query", in order. */
  requests: string[];
  /** Answer the next `count` requests 429, with `Retry-After: retryAfter` (seconds) when given. */
  throttle(count: number, retryAfter?: string): void;
  close(): Promise<void>;
}

type Store = Map<string, Record<string, unknown>>;

// SCIMMY's handlers are static: declared once per module registry (jest gives each test file its
// own), and each call carries its server's store in `ctx`, so several servers can run side by side.
let declared = false;
function declare(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false));
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
  const { User, Group } = SCIMMY.Resources;
  User.ingress(ingress('userName') as never).egress(egress as never).degress(degress as never);
  Group.ingress(ingress('displayName') as never).egress(egress as never).degress(degress as never);
}

/** Create (no id) or replace (id) a resource; `unique` must be unique case-insensitively, as userName is. */
function ingress(unique: string) {
  return (res: { id?: string }, instance: unknown, ctx: Store): Record<string, unknown> => {
    const data = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
    const name = String(data[unique] ?? '').toLowerCase();
    const clash = [...ctx.values()].find((r) => String(r[unique] ?? '').toLowerCase() === name && r.id !== res.id);
    if (clash) throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} "${String(data[unique])}" is already taken`);
    const now = new Date().toISOString();
    if (res.id) {
      const current = ctx.get(res.id);
      if (!current) throw notFound(res.id);
      const updated = { ...data, id: res.id, meta: { ...(current.meta as object), lastModified: now } };
      ctx.set(res.id, updated);
      return updated;
    }
    const id = randomUUID();
    const created = { ...data, id, meta: { created: now, lastModified: now } };
    ctx.set(id, created);
    return created;
  };
}

/** One resource by id, or every resource the request's filter matches (SCIMMY pages the result). */
function egress(res: { id?: string; filter?: { match(values: unknown[]): unknown[] } }, ctx: Store): unknown {
  if (res.id) return ctx.get(res.id) ?? Promise.reject(notFound(res.id));
  const all = [...ctx.values()];
  return res.filter ? res.filter.match(all) : all;
}

function degress(res: { id?: string }, ctx: Store): void {
  if (!res.id || !ctx.delete(res.id)) throw notFound(res.id);
}

function notFound(id: string | undefined): Error {
  return new SCIMMY.Types.Error(404, null as never, `Resource ${id} not found`);
}

export interface ScimTestServerOptions {
  /** Serve GET /Schemas and GET /ResourceTypes (SCIMMY's, for the declared User with the enterprise extension and Group); default true. */
  schemaEndpoints?: boolean;
}

export async function startScimTestServer(token = 'test-token', options: ScimTestServerOptions = {}): Promise<ScimTestServer> {
  declare();
  const users: Store = new Map();
  const groups: Store = new Map();
  const requests: string[] = [];
  let throttled = 0;
  let retryAfter: string | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: String(e) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.push(`${req.method} ${req.url}`);
    const raw = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, error(401, 'invalid bearer token'));
    if (throttled > 0) {
      throttled--;
      return send(res, 429, error(429, 'too many requests'), retryAfter === undefined ? {} : { 'retry-after': retryAfter });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const discovery = /^\/scim\/v2\/(Schemas|ResourceTypes)$/.exec(url.pathname);
    if (discovery && req.method === 'GET' && options.schemaEndpoints !== false) {
      const Discovery = discovery[1] === 'Schemas' ? SCIMMY.Resources.Schema : SCIMMY.Resources.ResourceType;
      return send(res, 200, await new Discovery().read());
    }
    const m = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(res, 404, error(404, `no endpoint ${url.pathname}`));
    const Resource = m[1] === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
    const ctx = m[1] === 'Users' ? users : groups;
    const id = m[2] ? decodeURIComponent(m[2]) : undefined;
    const body = raw ? JSON.parse(raw) : undefined;
    try {
      switch (req.method) {
        case 'GET': {
          if (id) return send(res, 200, await new Resource(id).read(ctx));
          const q = url.searchParams;
          const params: { filter?: string; startIndex?: number; count?: number } = {};
          if (q.has('filter')) params.filter = q.get('filter')!;
          if (q.has('startIndex')) params.startIndex = Number(q.get('startIndex'));
          if (q.has('count')) params.count = Number(q.get('count'));
          return send(res, 200, await new Resource(undefined, params).read(ctx));
        }
        case 'POST':
          return send(res, 201, await new Resource().write(body, ctx));
        case 'PATCH':
          return send(res, 200, await new Resource(id!).patch(body, ctx));
        case 'DELETE':
          await new Resource(id!).dispose(ctx);
          return send(res, 204);
        default:
          return send(res, 405, error(405, `${req.method} not supported`));
      }
    } catch (e) {
      if (e instanceof SCIMMY.Types.Error) {
        const err = e as unknown as { status: number; scimType?: string; message: string };
        return send(res, err.status, { ...error(err.status, err.message), ...(err.scimType ? { scimType: err.scimType } : {}) });
      }
      throw e;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users,
    groups,
    requests,
    throttle(count, after) {
      throttled = count;
      retryAfter = after;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function error(status: number, detail: string): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail };
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const json = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(json ? { 'content-type': 'application/scim+json' } : {}), ...headers });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
