import { cookieFromCsn, csnFromCookie, parseWatermark, syncWatermark } from './ldap-changes';

const CSN = '20261123142720.756583Z#000000#000#000000';

describe('LDAP change watermarks', () => {
  it('reads a content sync cookie, an entryCSN, a modifyTimestamp, and nothing as the start', () => {
    expect(parseWatermark(undefined)).toEqual({ kind: 'start' });
    expect(parseWatermark('')).toEqual({ kind: 'start' });
    expect(parseWatermark(syncWatermark(Buffer.from([0, 1, 254, 255])))).toEqual({ kind: 'cookie', cookie: Buffer.from([0, 1, 254, 255]) });
    expect(parseWatermark(CSN)).toEqual({ kind: 'csn', csn: CSN });
    expect(parseWatermark('20261123142720Z')).toEqual({ kind: 'timestamp', timestamp: '20261123142720Z' });
  });

  it('refuses anything else as CONNECTOR.CONFIG', () => {
    for (const bad of ['(objectClass=*)', 'sync:', 'sync:***', '2026', `${CSN}x`]) expect(() => parseWatermark(bad)).toThrow(expect.objectContaining({ code: 'CONNECTOR.CONFIG' }));
  });

  it("spells slapd's cookie for a CSN, and finds the oldest CSN in one", () => {
    expect(cookieFromCsn(CSN).toString()).toBe(`rid=000,csn=${CSN}`);
    expect(csnFromCookie(cookieFromCsn(CSN))).toBe(CSN);
    const older = '20251123142720.756583Z#000000#001#000000';
    expect(csnFromCookie(Buffer.from(`rid=000,sid=001,csn=${CSN};${older}`))).toBe(older);
    expect(csnFromCookie(Buffer.from('opaque'))).toBeUndefined();
  });
});
