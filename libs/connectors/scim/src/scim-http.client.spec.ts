import { describeError, ScimHttpClient } from './scim-http.client';

const json = (status: number, body?: unknown, headers: Record<string, string> = {}) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers });

describe('ScimHttpClient', () => {
  const client = (extra: Partial<ConstructorParameters<typeof ScimHttpClient>[0]> = {}) =>
    new ScimHttpClient({ baseUrl: 'http://scim.test/v2/', token: 't0k', timeoutMs: 1000, maxRetries: 2, retryDelayMs: 1, maxRetryDelayMs: 50, ...extra });
  let fetchMock: jest.SpyInstance;
  beforeEach(() => (fetchMock = jest.spyOn(global, 'fetch')));
  afterEach(() => fetchMock.mockRestore());

  it('sends the bearer token and SCIM JSON to baseUrl + path', async () => {
    fetchMock.mockResolvedValueOnce(json(201, { id: '1' }));
    await expect(client().request('POST', '/Users', { userName: 'a' })).resolves.toEqual({ status: 201, body: { id: '1' } });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://scim.test/v2/Users');
    expect(init.headers).toMatchObject({ authorization: 'Bearer t0k', 'content-type': 'application/scim+json' });
    expect(init.body).toBe('{"userName":"a"}');
  });

  it('caps a long Retry-After, accepts an HTTP date, and returns the last answer after maxRetries', async () => {
    fetchMock
      .mockResolvedValueOnce(json(503, undefined, { 'retry-after': '3600' }))
      .mockResolvedValueOnce(json(429, undefined, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }))
      .mockResolvedValueOnce(json(429, { detail: 'slow down' }));
    const started = Date.now();
    const response = await client().request('GET', '/Users');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(describeError(response)).toBe('HTTP 429: slow down');
  });

  it('throws AUTH_FAILED for 401 and 403, with the server detail', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { status: '403', detail: 'scope missing' }));
    await expect(client().request('GET', '/Users')).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false, message: expect.stringContaining('scope missing') });
  });

  it('throws UNREACHABLE, retryable, when no answer comes', async () => {
    fetchMock.mockRejectedValueOnce(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    await expect(client().request('GET', '/Users')).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('describes SCIM errors with scimType and detail, and non-JSON bodies by their text', () => {
    expect(describeError({ status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: 'bad email' } })).toBe('HTTP 400 invalidValue: bad email');
    expect(describeError({ status: 502, body: '<html>Bad Gateway</html>' })).toBe('HTTP 502: <html>Bad Gateway</html>');
    expect(describeError({ status: 500, body: undefined })).toBe('HTTP 500');
  });
});
