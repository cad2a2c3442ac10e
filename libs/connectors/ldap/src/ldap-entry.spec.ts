import { toConnectorObject } from './ldap-entry';

describe('toConnectorObject', () => {
  const entry = {
    dn: "cn=O'Brien\\2C Jr.,ou=people,dc=example,dc=org",
    objectClass: ['inetOrgPerson'],
    cn: "O'Brien, Jr.",
    mail: ['a@x.org', 'b@x.org'],
    entryUUID: '0b625e8c-7b86-1041-9595-b5c27912470c',
    userPassword: '{SSHA}abc',
    jpegPhoto: Buffer.from([0xff, 0xd8]),
    description: Buffer.from([0xff]),
    'userCertificate;binary': 'looks like text',
    title: [],
    '*': [],
  };

  it('keys by normalized DN, anchors on entryUUID and keeps text attributes as arrays', () => {
    expect(toConnectorObject(entry)).toEqual({
      key: "cn=O'Brien\\, Jr.,ou=people,dc=example,dc=org",
      anchor: '0b625e8c-7b86-1041-9595-b5c27912470c',
      attributes: { objectClass: ['inetOrgPerson'], cn: ["O'Brien, Jr."], mail: ['a@x.org', 'b@x.org'] },
    });
  });

  it('spells attributes as requested and returns a secret only when named', () => {
    expect(toConnectorObject(entry, ['CN', 'userpassword', 'ENTRYUUID']).attributes).toEqual({
      objectClass: ['inetOrgPerson'],
      CN: ["O'Brien, Jr."],
      mail: ['a@x.org', 'b@x.org'],
      userpassword: ['{SSHA}abc'],
      ENTRYUUID: ['0b625e8c-7b86-1041-9595-b5c27912470c'],
    });
  });

  it('spells member DNs as keys are spelled, leaving a uniqueMember with a UID suffix as it is', () => {
    const group = { dn: 'cn=g,dc=example,dc=org', member: ["cn=O'Brien\\2C Jr.,ou=people,dc=example,dc=org"], uniqueMember: ['cn=a\\2Bb,dc=example,dc=org', "cn=x,dc=example,dc=org#'0101'B"] };
    expect(toConnectorObject(group).attributes).toEqual({
      member: ["cn=O'Brien\\, Jr.,ou=people,dc=example,dc=org"],
      uniqueMember: ['cn=a\\+b,dc=example,dc=org', "cn=x,dc=example,dc=org#'0101'B"],
    });
  });
});
