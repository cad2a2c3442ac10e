import { toAdObject } from './ad-entry';

const guid = Buffer.from('5a3b83b7ea622c4098341113ab3292e7', 'hex');

describe('toAdObject', () => {
  it('anchors on objectGUID and keeps binary, secret and empty attributes out', () => {
    const { object, pending } = toAdObject({
      dn: "CN=O'Brien\\2C Ada,OU=Staff,DC=x",
      objectGUID: guid,
      objectSid: Buffer.from('010500000000000515000000b11b10306c0dbffedcf12d8cf4010000', 'hex'),
      sAMAccountName: 'ada',
      thumbnailPhoto: Buffer.from([0xff, 0xd8, 0xff]),
      unicodePwd: 'never',
      description: [],
    });
    expect(object.key).toBe("CN=O'Brien\\, Ada,OU=Staff,DC=x");
    expect(object.anchor).toBe('b7833b5a-62ea-402c-9834-1113ab3292e7');
    expect(object.attributes).toEqual({ objectGUID: ['b7833b5a-62ea-402c-9834-1113ab3292e7'], objectSid: ['S-1-5-21-806362033-4273933676-2351821276-500'], sAMAccountName: ['ada'] });
    expect(pending).toEqual([]);
  });

  it('spells attributes as requested and leaves the anchor-only objectGUID out', () => {
    const { object } = toAdObject({ dn: 'CN=a,DC=x', objectGUID: guid, samaccountname: 'a' }, ['sAMAccountName']);
    expect(object.attributes).toEqual({ sAMAccountName: ['a'] });
    expect(object.anchor).toBe('b7833b5a-62ea-402c-9834-1113ab3292e7');
  });

  it('files a cut-short ranged attribute under its plain name and reports it pending', () => {
    const { object, pending } = toAdObject({ dn: 'CN=g,DC=x', objectGUID: guid, 'member;range=0-1499': ['CN=a', 'CN=b'] });
    expect(object.attributes.member).toEqual(['CN=a', 'CN=b']);
    expect(pending).toEqual([{ attribute: 'member', values: ['CN=a', 'CN=b'], range: { attribute: 'member', start: 0, end: 1499 } }]);
    expect(toAdObject({ dn: 'CN=g,DC=x', 'member;range=1500-*': ['CN=c'] }).pending).toEqual([]);
  });
});
