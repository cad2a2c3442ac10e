/**
 * AD's binary and encoded attribute values as text, and back: objectGUID, objectSid, unicodePwd
 * and the userAccountControl flags.
 */

/** userAccountControl's ACCOUNTDISABLE flag (MS-ADTS 2.2.16). */
export const ACCOUNTDISABLE = 0x2;
/** NORMAL_ACCOUNT: what a user created without userAccountControl gets, with ACCOUNTDISABLE set. */
export const NORMAL_ACCOUNT = 0x200;

/**
 * objectGUID's 16 bytes as the canonical GUID string. The first three fields are stored
 * little-endian (a Windows GUID struct), so reading the bytes as hex in order gives a string that
 * matches nothing AD tools show.
 *
 * @example guidToString(Buffer.from('5a3b83b7ea622c4098341113ab3292e7', 'hex')) === 'b7833b5a-62ea-402c-9834-1113ab3292e7'
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`an objectGUID has 16 bytes, not ${bytes.length}`);
  const hex = (from: number, to: number, reverse = false) => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10)}-${hex(10, 16)}`;
}

/** The reverse of guidToString, e.g. for a `(objectGUID=\xx...)` filter. */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${guid}" is not a GUID`);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([b.subarray(0, 4).reverse(), b.subarray(4, 6).reverse(), b.subarray(6, 8).reverse(), b.subarray(8)]);
}

/** objectSid's bytes (MS-DTYP 2.4.2.2) as `S-1-5-21-...`. */
export function sidToString(bytes: Buffer): string {
  if (bytes.length < 8) throw new Error('a SID has at least 8 bytes');
  const count = bytes[1];
  const authority = bytes.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(bytes.readUInt32LE(8 + i * 4));
  return ['S', bytes[0], authority, ...subs].join('-');
}

/**
 * A password as AD's unicodePwd wants it: the password in double quotes, UTF-16LE. AD accepts
 * it only over an encrypted connection (LDAPS or StartTLS).
 */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** userAccountControl with ACCOUNTDISABLE set or cleared, every other flag kept. */
export function withAccountDisabled(userAccountControl: number, disabled: boolean): number {
  return disabled ? userAccountControl | ACCOUNTDISABLE : userAccountControl & ~ACCOUNTDISABLE;
}

/** The `enabled` pseudo-attribute's value: true, false, or undefined when the change does not say. */
export function parseEnabled(values: string[]): boolean | undefined {
  if (!values.length) return undefined;
  const v = values[0].trim().toLowerCase();
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  throw new Error(`"enabled" must be true or false, not "${values[0]}"`);
}
