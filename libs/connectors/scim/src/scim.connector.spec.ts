import { ScimConnector } from './scim.connector';

describe('ScimConnector (HTTP stubbed)', () => {
  let fetchMock: jest.SpyInstance;
  beforeEach(() => (fetchMock = jest.spyOn(global, 'fetch')));
  afterEach(() => fetchMock.mockRestore());
  const scim = () => new ScimConnector({ baseUrl: 'http://scim.test/v2', token: 't' });
  const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
  const del = (dn: string) => ({ kind: 'delete' as const, dn, changes: [] });

  it('reports the rest of a batch retryable when the server is lost after the first operation', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 })).mockRejectedValueOnce(refused());
    expect(await scim().apply([del('a'), del('b'), del('c')])).toEqual([
      { status: 'succeeded' },
      { status: 'retryable', message: expect.stringContaining('ECONNRESET') },
      { status: 'retryable', message: expect.stringMatching(/^not tried: .*ECONNRESET/) },
    ]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('stops a read that ignores startIndex instead of looping', async () => {
    const page = () => new Response(JSON.stringify({ totalResults: 10, Resources: [{ id: '1' }, { id: '2' }] }), { status: 200 });
    fetchMock.mockImplementation(async () => page());
    const read = async () => {
      for await (const p of scim().readSnapshot({ objectType: 'user', pageSize: 2 })) void p;
    };
    await expect(read()).rejects.toMatchObject({ code: 'SCIM.PAGING_IGNORED' });
  });

  it('refuses an unknown object type and a base URL that is not http(s)', async () => {
    const read = async () => {
      for await (const p of scim().readSnapshot({ objectType: 'device' })) void p;
    };
    await expect(read()).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
    expect(() => new ScimConnector({ baseUrl: 'ldap://x', token: 't' })).toThrow(expect.objectContaining({ code: 'CONNECTOR.CONFIG' }));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('fails an operation on an existing object without an id, and goes on', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    expect(await scim().apply([{ kind: 'update', dn: '', changes: [{ attribute: 'title', values: ['x'] }] }, del('a')])).toEqual([
      { status: 'failed', message: expect.stringContaining('needs its SCIM id') },
      { status: 'succeeded' },
    ]);
  });
});
