/** An error answered by the gateway: the HTTP status and the API's { code, message, details }. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export type Json = Record<string, unknown>;

export interface RunJson {
  id: string;
  jobId: string;
  state: string;
  preview: boolean;
  requestedBy: string;
  reason: string;
  counters: { read: number; created: number; updated: number; deleted: number; disabled: number; renamed: number; unchanged: number; failed: number };
  error?: { code: string; message: string; details: Record<string, string> };
  decidedBy: string;
  /** RUN_MODE_COMPLETE or RUN_MODE_INCREMENTAL. */
  mode: string;
  /** Incremental: the source watermark read from ('' = from the beginning) and the one read to. */
  since: string;
  watermark: string;
}

const FINAL = ['RUN_STATE_COMPLETED', 'RUN_STATE_FAILED', 'RUN_STATE_DENIED', 'RUN_STATE_CANCELLED', 'RUN_STATE_PREVIEWED'];
const WAITING = ['RUN_STATE_PENDING_APPROVAL', 'RUN_STATE_AWAITING_REVIEW'];

/**
 * A small client of the gateway's REST API, for the demo, the command line and tests.
 *
 * @example
 *   const api = new GatewayClient('http://127.0.0.1:8080', token);
 *   const run = await api.post<RunJson>(`/api/jobs/${jobId}/runs`);
 *   const done = await api.waitForRun(run.id);
 */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  as(token: string): GatewayClient {
    return new GatewayClient(this.baseUrl, token);
  }

  get<T = Json>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T = Json>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }

  put<T = Json>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, body ?? {});
  }

  /** Polls a run until it is finished or waits for a person (approval, review). */
  async waitForRun(id: string, timeoutMs = 120_000): Promise<RunJson> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.get<RunJson>(`/api/runs/${id}`);
      if (FINAL.includes(run.state) || WAITING.includes(run.state)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, data.code ?? 'HTTP', data.message ?? text, data.details);
    return data as T;
  }
}
