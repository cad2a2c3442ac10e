import { ConnectorError } from '@idsync/connector-core';
import { pick, text } from './scim-values';

export interface ScimHttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay when the server sends no Retry-After; doubles per retry. */
  retryDelayMs: number;
  /** Cap on any wait between retries, Retry-After included. */
  maxRetryDelayMs: number;
}

export interface ScimResponse {
  status: number;
  body: unknown;
}

/** Statuses that say "not now": the same request is retried after Retry-After or a backoff. */
const RETRY_STATUSES = new Set([429, 503]);

/**
 * JSON over HTTP with a bearer token. 429 and 503 are retried up to maxRetries times (then returned
 * as they are); 401 and 403 throw CONNECTOR.AUTH_FAILED; a request that never got an answer
 * (refused, reset, timed out) throws CONNECTOR.UNREACHABLE. Every other status is returned.
 */
export class ScimHttpClient {
  private readonly baseUrl: string;

  constructor(private readonly options: ScimHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async request(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(method, path, body);
      if (!RETRY_STATUSES.has(response.status) || attempt >= this.options.maxRetries) return this.checked(response, method, path);
      await sleep(this.delay(response.headers.get('retry-after'), attempt));
    }
  }

  private async send(method: string, path: string, body: unknown): Promise<{ status: number; headers: Headers; body: unknown }> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    let raw: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/scim+json, application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      raw = await res.text();
    } catch (e) {
      throw new ConnectorError('CONNECTOR.UNREACHABLE', `cannot reach ${this.baseUrl}: ${networkReason(e)}; check the base URL and that the server is running`, { url: this.baseUrl, method, path }, true);
    }
    return { status: res.status, headers: res.headers, body: parseJson(raw) };
  }

  private checked(response: { status: number; body: unknown }, method: string, path: string): ScimResponse {
    if (response.status === 401 || response.status === 403) {
      throw new ConnectorError(
        'CONNECTOR.AUTH_FAILED',
        `${this.baseUrl} refused the bearer token (HTTP ${response.status}${errorDetail(response.body) ? `: ${errorDetail(response.body)}` : ''}); check the token and its permissions`,
        { url: this.baseUrl, method, path, status: String(response.status) },
      );
    }
    return { status: response.status, body: response.body };
  }

  /** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), else exponential backoff; both capped. */
  private delay(retryAfter: string | null, attempt: number): number {
    const { retryDelayMs, maxRetryDelayMs } = this.options;
    let ms: number | undefined;
    if (retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter)) ms = Number(retryAfter) * 1000;
    else if (retryAfter) {
      const at = Date.parse(retryAfter);
      if (!Number.isNaN(at)) ms = Math.max(0, at - Date.now());
    }
    return Math.min(ms ?? retryDelayMs * 2 ** attempt, maxRetryDelayMs);
  }
}

/** "HTTP 400 invalidValue: <detail>" from a SCIM error body (RFC 7644 §3.12), status as number or string. */
export function describeError(response: ScimResponse): string {
  const scimType = text(pick(response.body, 'scimType'));
  const detail = errorDetail(response.body);
  return `HTTP ${response.status}${scimType ? ` ${scimType}` : ''}${detail ? `: ${detail}` : ''}`;
}

export function scimType(response: ScimResponse): string | undefined {
  return text(pick(response.body, 'scimType'));
}

function errorDetail(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  return text(pick(body, 'detail'));
}

function parseJson(raw: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function networkReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
