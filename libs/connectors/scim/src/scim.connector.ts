import { ConnectorError, modeOf, type AttributeChangeOp, type Capabilities, type Connector, type ConnectorObject, type ConnectorSchema, type ConnectorOperation, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { discoverScim } from './scim-discover';
import { eqFilter } from './scim-filter';
import { describeError, scimType, ScimHttpClient, type ScimResponse } from './scim-http.client';
import { createChanges, patchRequest, toPatchOperations, toPatchOperationsFrom, toResource, withoutValueFilterReplace, type PatchOperation } from './scim-request.builder';
import { toAttributes } from './scim-resource.mapper';
import { ATTRIBUTE, canonicalAttribute, ENDPOINTS, LOOKUP_ATTRIBUTE, type ScimObjectType } from './scim-schemas';
import { asArray, pick, text } from './scim-values';

export interface ScimConnectorOptions {
  /** The SCIM base URL, e.g. https://app.example.org/scim/v2 (without /Users). */
  baseUrl: string;
  /** Bearer token sent on every request. */
  token: string;
  /** What apply() writes: 'user' → /Users (the default), 'group' → /Groups. */
  objectType?: ScimObjectType;
  /** Resources per page of a read; default 100. */
  pageSize?: number;
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
  /** Retries of a request answered 429 or 503; default 3. */
  maxRetries?: number;
  /** First backoff when the server sends no Retry-After, doubled per retry; default 500 ms. */
  retryDelayMs?: number;
  /** Cap on any wait between retries, Retry-After included; default 30 s. */
  maxRetryDelayMs?: number;
}

/**
 * A SCIM 2.0 service provider (RFC 7643/7644) as a source or destination for users or groups.
 * Objects are keyed and anchored by the SCIM `id`; attributes use the flat names in the README.
 *
 * @example
 *   const scim = new ScimConnector({ baseUrl: 'https://app.example.org/scim/v2', token, objectType: 'user' });
 *   for await (const page of scim.readSnapshot({ objectType: 'user' })) console.log(page.length);
 *   const [created] = await scim.apply([{ kind: 'create', dn: '', changes: [{ attribute: 'userName', values: ['ada'] }] }]);
 *   // created.message === 'id=2819c223-...'
 */
export class ScimConnector implements Connector {
  readonly kind = 'scim';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: false };
  private readonly http: ScimHttpClient;
  private readonly objectType: ScimObjectType;

  constructor(private readonly options: ScimConnectorOptions) {
    this.objectType = options.objectType ?? 'user';
    if (!ENDPOINTS[this.objectType]) throw configError(this.objectType);
    if (!/^https?:\/\//i.test(options.baseUrl)) {
      throw new ConnectorError('CONNECTOR.CONFIG', `invalid SCIM base URL "${options.baseUrl}": expected http(s)://host/path`, { url: options.baseUrl });
    }
    this.http = new ScimHttpClient({
      baseUrl: options.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    });
  }

  /** Reads one resource of the configured type: proves the URL, the token and the endpoint. */
  async testConnection(): Promise<void> {
    const path = `${ENDPOINTS[this.objectType]}?startIndex=1&count=1`;
    const response = await this.http.request('GET', path);
    if (response.status !== 200) throw readError(response, path);
  }

  /**
   * Pages of `GET /Users?startIndex=i&count=n` (1-based), until totalResults or an empty page.
   * Any failed page throws: a partial read must never pass for a complete snapshot.
   */
  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const objectType = options.objectType.toLowerCase() as ScimObjectType;
    if (!ENDPOINTS[objectType]) throw configError(options.objectType);
    const count = options.pageSize ?? this.options.pageSize ?? 100;
    const wanted = options.attributes?.length ? options.attributes : undefined;
    let previousFirstId: string | undefined;
    for (let startIndex = 1; ; ) {
      const path = `${ENDPOINTS[objectType]}?startIndex=${startIndex}&count=${count}`;
      const response = await this.http.request('GET', path);
      if (response.status !== 200) throw readError(response, path);
      const resources = asArray(pick(response.body, 'Resources'));
      if (!resources.length) return;
      const objects = resources.map((r) => toObject(r, objectType, wanted, path));
      // A server that ignores startIndex would send page one forever.
      if (objects[0].key === previousFirstId) {
        throw new ConnectorError('SCIM.PAGING_IGNORED', `${path} returned the same page as the previous request; the server ignores startIndex`, { path });
      }
      previousFirstId = objects[0].key;
      yield objects;
      startIndex += resources.length;
      const total = Number(text(pick(response.body, 'totalResults')));
      if (Number.isFinite(total) && startIndex > total) return;
    }
  }

  /**
   * Users and groups as the server describes them in GET /Schemas and GET /ResourceTypes (RFC 7643 §6, §7): the
   * connector's flat attributes that the server's schemas define, typed by SCIM type, `required` as the schema says,
   * read-only where mutability is readOnly; keyed and anchored by `id`. A server without /Schemas (404, 501) is taken
   * to hold RFC 7643's core User and Group schemas and the enterprise extension, and the result says so with origin
   * 'standard' rather than 'peer'.
   *
   * @example
   *   const user = (await scim.discover()).objectTypes.find((t) => t.name === 'user'); // userName required, id read-only
   */
  discover(): Promise<ConnectorSchema> {
    return discoverScim(this.http);
  }

  /**
   * Operations run one after another, in order. `dn` is the SCIM id (ignored for create, where the
   * server assigns it: the outcome message says `id=<id>`).
   */
  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    const outcomes: OperationOutcome[] = [];
    for (const [i, op] of operations.entries()) {
      try {
        outcomes.push(await this.applyOne(op));
      } catch (e) {
        if (!(e instanceof ConnectorError)) {
          outcomes.push({ status: 'failed', message: (e as Error)?.message ?? String(e) });
          continue;
        }
        // A refusal of this one operation (unknown attribute, failed lookup): the next may work.
        if (!e.code.startsWith('CONNECTOR.')) {
          outcomes.push({ status: e.retryable ? 'retryable' : 'failed', message: e.message });
          continue;
        }
        // Unreachable or refused token: nothing tried yet means the whole call failed.
        if (i === 0) throw e;
        const status = e.retryable ? 'retryable' : 'failed';
        outcomes.push({ status, message: e.message });
        for (let j = i + 1; j < operations.length; j++) outcomes.push({ status, message: `not tried: ${e.message}` });
        break;
      }
    }
    return outcomes;
  }

  async close(): Promise<void> {
    // fetch keeps no connection that the connector owns.
  }

  private async applyOne(op: ConnectorOperation): Promise<OperationOutcome> {
    switch (op.kind) {
      case 'create':
        return this.create(op);
      case 'update':
        return this.patchChanges(op.dn, op.changes);
      case 'disable': {
        const others = op.changes.filter((c) => canonicalAttribute(this.objectType, c.attribute) !== ATTRIBUTE.active);
        return this.patchChanges(op.dn, others, [{ op: 'replace', path: ATTRIBUTE.active, value: false }]);
      }
      case 'delete':
        return this.delete(op.dn);
      case 'rename':
        return { status: 'failed', message: `a SCIM resource has no DN to rename; ${op.dn} keeps its id` };
      default:
        return { status: 'failed', message: `unknown operation kind "${(op as ConnectorOperation).kind}"` };
    }
  }

  /** Looks the resource up by userName (displayName for groups) first: a second create is a no-op. */
  private async create(op: ConnectorOperation): Promise<OperationOutcome> {
    const endpoint = ENDPOINTS[this.objectType];
    const lookup = LOOKUP_ATTRIBUTE[this.objectType];
    const body = toResource(this.objectType, createChanges(op.changes));
    const value = body[lookup];
    if (typeof value !== 'string') return { status: 'failed', message: `a ${this.objectType} needs ${lookup} to be created` };

    const existing = await this.find(lookup, value);
    if (existing) return { status: 'succeeded', message: `already exists id=${existing}` };

    const response = await this.http.request('POST', endpoint, body);
    if (response.status === 201 || response.status === 200) {
      const id = text(pick(response.body, 'id'));
      return { status: 'succeeded', message: `id=${id ?? ''}` };
    }
    // Created by someone else between the lookup and the POST.
    if (response.status === 409) {
      const id = await this.find(lookup, value);
      return { status: 'succeeded', message: `already exists${id ? ` id=${id}` : ''}` };
    }
    return outcomeOf(response);
  }

  private async find(attribute: string, value: string): Promise<string | undefined> {
    const path = `${ENDPOINTS[this.objectType]}?filter=${encodeURIComponent(eqFilter(attribute, value))}&startIndex=1&count=1`;
    const response = await this.http.request('GET', path);
    if (response.status !== 200) throw new ConnectorError('SCIM.LOOKUP_FAILED', `looking up ${attribute} "${value}" failed: ${describeError(response)}`, { path }, isRetryable(response.status));
    const [first] = asArray(pick(response.body, 'Resources'));
    return first === undefined ? undefined : (text(pick(first, 'id')) ?? '');
  }

  /**
   * Changes with add or remove first read the resource (GET), so that only values that change are sent: see
   * toPatchOperationsFrom. Replace changes alone are sent as they are, without a read.
   */
  private async patchChanges(id: string, changes: AttributeChangeOp[], extra: PatchOperation[] = []): Promise<OperationOutcome> {
    if (!changes.some((c) => modeOf(c) !== 'replace')) return this.patch(id, [...toPatchOperations(this.objectType, changes), ...extra]);
    const response = await this.http.request('GET', this.resourcePath(id));
    if (response.status === 404) return { status: 'failed', message: `no such ${this.objectType}: ${id}` };
    if (response.status !== 200) return outcomeOf(response);
    return this.patch(id, [...toPatchOperationsFrom(this.objectType, changes, toAttributes(response.body, this.objectType)), ...extra]);
  }

  private async patch(id: string, operations: PatchOperation[]): Promise<OperationOutcome> {
    if (!operations.length) return { status: 'succeeded', message: 'nothing to change' };
    const path = this.resourcePath(id);
    let response = await this.http.request('PATCH', path, patchRequest(operations));
    // A value-filter replace on an entry that does not exist yet (RFC 7644 §3.5.2.3).
    if (response.status === 400 && scimType(response) === 'noTarget') {
      const fallback = withoutValueFilterReplace(operations);
      if (fallback.length !== operations.length) response = await this.http.request('PATCH', path, patchRequest(fallback));
    }
    if (response.status === 200 || response.status === 204) return { status: 'succeeded' };
    if (response.status === 404) return { status: 'failed', message: `no such ${this.objectType}: ${id}` };
    return outcomeOf(response);
  }

  private async delete(id: string): Promise<OperationOutcome> {
    const response = await this.http.request('DELETE', this.resourcePath(id));
    if (response.status === 204 || response.status === 200) return { status: 'succeeded' };
    if (response.status === 404) return { status: 'succeeded', message: 'no such object' };
    return outcomeOf(response);
  }

  private resourcePath(id: string): string {
    if (!id) throw new ConnectorError('SCIM.NO_ID', `an operation on an existing ${this.objectType} needs its SCIM id in dn`);
    return `${ENDPOINTS[this.objectType]}/${encodeURIComponent(id)}`;
  }
}

function toObject(resource: unknown, objectType: ScimObjectType, wanted: string[] | undefined, path: string): ConnectorObject {
  const id = text(pick(resource, 'id'));
  if (!id) throw new ConnectorError('SCIM.NO_ID', `${path} returned a resource without an id`, { path });
  const all = toAttributes(resource, objectType);
  if (!wanted) return { key: id, anchor: id, attributes: all };
  // Spelled as the read asked for them; matched case-insensitively.
  const attributes: Record<string, string[]> = {};
  for (const name of wanted) {
    const canonical = canonicalAttribute(objectType, name);
    if (canonical && all[canonical]) attributes[name] = all[canonical];
  }
  return { key: id, anchor: id, attributes };
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function outcomeOf(response: ScimResponse): OperationOutcome {
  return { status: isRetryable(response.status) ? 'retryable' : 'failed', message: describeError(response) };
}

function readError(response: ScimResponse, path: string): ConnectorError {
  return new ConnectorError('SCIM.READ_FAILED', `GET ${path} failed: ${describeError(response)}`, { path, status: String(response.status) }, isRetryable(response.status));
}

function configError(objectType: string): ConnectorError {
  return new ConnectorError('CONNECTOR.CONFIG', `unknown SCIM object type "${objectType}"; use "user" or "group"`, { objectType });
}
