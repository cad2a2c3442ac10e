/**
 * Byte encodings written out here rather than taken from Node's Buffer, so the domain code
 * runs on any JavaScript runtime.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Entra's ConvertToBase64: the UTF-16LE bytes of the string ("Unicode" in .NET), in base64. */
export function base64Utf16le(s: string): string {
  const bytes = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    bytes[2 * i] = code & 0xff;
    bytes[2 * i + 1] = code >> 8;
  }
  return base64(bytes);
}

export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}

const utf8 = new TextEncoder();

/** Entra's ConvertToUTF8Hex: the UTF-8 bytes as upper-case hexadecimal. */
export function utf8Hex(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) out += b.toString(16).toUpperCase().padStart(2, '0');
  return out;
}
