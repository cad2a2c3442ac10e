import { ConnectorError, type ConnectorObject } from '@idsync/connector-core';
import { startSlapd, type SlapdHandle } from '@idsync/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LdapConnector, type LdapConnectorOptions } from './ldap.connector';

describe('LdapConnector over TLS against slapd', () => {
  let slapd: SlapdHandle;
  let ca: string;
  beforeAll(async () => {
    slapd = await startSlapd({ tls: true });
    ca = readFileSync(slapd.caFile!, 'utf8');
  });
  afterAll(() => slapd?.stop());

  const connector = (options: Partial<LdapConnectorOptions>) => new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, ...options });

  async function readAll(ldap: LdapConnector): Promise<ConnectorObject[]> {
    const all: ConnectorObject[] = [];
    for await (const page of ldap.readSnapshot({ objectType: 'user' })) all.push(...page);
    return all;
  }

  async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
    const e = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  }

  it('writes and reads over ldaps:// trusting the given CA', async () => {
    const ldap = connector({ url: slapd.ldapsUrl!, tls: { ca: [ca] } });
    await ldap.testConnection();
    const dn = `uid=tls-ada,ou=people,${slapd.baseDn}`;
    expect(await ldap.apply([{ kind: 'create', dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Ada'] }, { attribute: 'sn', values: ['Lovelace'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect((await readAll(ldap)).find((o) => o.key === dn)?.attributes.sn).toEqual(['Lovelace']);
    await ldap.close();
  });

  it('checks the certificate against servername when given', async () => {
    const ldap = connector({ url: slapd.ldapsUrl!, tls: { ca: [ca], servername: 'localhost' } });
    await expect(ldap.testConnection()).resolves.toBeUndefined();
    const wrongName = await rejection(connector({ url: slapd.ldapsUrl!, tls: { ca: [ca], servername: 'ldap.example.org' } }).testConnection());
    expect(wrongName.code).toBe('CONNECTOR.TLS_FAILED');
    expect(wrongName.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('upgrades ldap:// with StartTLS before binding', async () => {
    const ldap = connector({ startTls: true, tls: { ca: [ca] } });
    await ldap.testConnection();
    const dn = `uid=starttls-grace,ou=people,${slapd.baseDn}`;
    expect(await ldap.apply([{ kind: 'create', dn, objectClasses: ['inetOrgPerson'], changes: [{ attribute: 'cn', values: ['Grace'] }, { attribute: 'sn', values: ['Hopper'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect((await readAll(ldap)).map((o) => o.key)).toContain(dn);
    await ldap.close();
  });

  it('refuses a server whose certificate the given CA did not sign, as CONNECTOR.TLS_FAILED with the reason', async () => {
    const other = join(slapd.dir, 'other-ca.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=another CA', '-keyout', join(slapd.dir, 'other-ca.key'), '-out', other], { stdio: 'pipe' });
    const wrongCa = [readFileSync(other, 'utf8')];
    for (const options of [{ url: slapd.ldapsUrl!, tls: { ca: wrongCa } }, { startTls: true, tls: { ca: wrongCa } }]) {
      const ldap = connector(options);
      const e = await rejection(ldap.testConnection());
      expect(e.code).toBe('CONNECTOR.TLS_FAILED');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/certificate/i);
      expect(e.details.reason).toMatch(/^[A-Z_]+: /);
      await expect(ldap.apply([{ kind: 'delete', dn: `uid=x,ou=people,${slapd.baseDn}`, changes: [] }])).rejects.toMatchObject({ code: 'CONNECTOR.TLS_FAILED' });
    }
  });

  it('refuses StartTLS on an ldaps:// URL as a configuration error', async () => {
    const e = await rejection(connector({ url: slapd.ldapsUrl!, startTls: true, tls: { ca: [ca] } }).testConnection());
    expect(e.code).toBe('CONNECTOR.CONFIG');
  });

  it('serves both listeners again after the test server restarts', async () => {
    await slapd.restart();
    await expect(connector({ url: slapd.ldapsUrl!, tls: { ca: [ca] } }).testConnection()).resolves.toBeUndefined();
    await expect(connector({ startTls: true, tls: { ca: [ca] } }).testConnection()).resolves.toBeUndefined();
  });
});
