import { ACCOUNTDISABLE, encodeUnicodePwd, guidToBytes, guidToString, parseEnabled, sidToString, withAccountDisabled } from './ad-values';

describe('guidToString', () => {
  it('reads the first three fields little-endian, as AD tools show a GUID', () => {
    // Administrator's objectGUID on a Samba DC, as the bytes arrive.
    const bytes = Buffer.from('5a3b83b7ea622c4098341113ab3292e7', 'hex');
    expect(guidToString(bytes)).toBe('b7833b5a-62ea-402c-9834-1113ab3292e7');
    expect(guidToBytes('b7833b5a-62ea-402c-9834-1113ab3292e7')).toEqual(bytes);
    expect(guidToBytes('{B7833B5A-62EA-402C-9834-1113AB3292E7}')).toEqual(bytes);
  });

  it('refuses anything that is not 16 bytes', () => {
    expect(() => guidToString(Buffer.alloc(15))).toThrow(/16 bytes/);
    expect(() => guidToBytes('not-a-guid')).toThrow(/not a GUID/);
  });
});

describe('sidToString', () => {
  it('formats a domain SID', () => {
    const sid = Buffer.from('010500000000000515000000b11b10306c0dbffedcf12d8cf4010000', 'hex');
    expect(sidToString(sid)).toBe('S-1-5-21-806362033-4273933676-2351821276-500');
  });
});

describe('encodeUnicodePwd', () => {
  it('quotes the password and encodes it as UTF-16LE', () => {
    expect(encodeUnicodePwd('Pä1!')).toEqual(Buffer.from([0x22, 0, 0x50, 0, 0xe4, 0, 0x31, 0, 0x21, 0, 0x22, 0]));
  });
});

describe('withAccountDisabled', () => {
  it('sets and clears ACCOUNTDISABLE only', () => {
    expect(withAccountDisabled(0x200, true)).toBe(0x202);
    expect(withAccountDisabled(0x10222, false)).toBe(0x10220);
    expect(withAccountDisabled(0x202, true)).toBe(0x202);
    expect(ACCOUNTDISABLE).toBe(2);
  });
});

describe('parseEnabled', () => {
  it('reads true and false, and nothing as undefined', () => {
    expect(parseEnabled(['TRUE'])).toBe(true);
    expect(parseEnabled(['0'])).toBe(false);
    expect(parseEnabled([])).toBeUndefined();
    expect(() => parseEnabled(['maybe'])).toThrow(/true or false/);
  });
});
