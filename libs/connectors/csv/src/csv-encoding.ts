import iconv from 'iconv-lite';
/**
 * How the file's bytes map to text. 'utf8' reads with or without a byte order mark and writes none;
 * 'utf8-bom' writes one (Excel on Windows needs it to detect UTF-8); 'windows-1252' is what Excel
 * in Western European locales saves as "CSV". Any other Node encoding ('latin1'...) is passed through.
 */
export type CsvEncoding = 'utf8' | 'utf8-bom' | 'windows-1252' | BufferEncoding;

/** A streaming decoder for encodings Node does not know, or undefined when csv-parse can decode itself. */
export function decoderFor(encoding: CsvEncoding): NodeJS.ReadWriteStream | undefined {
  // iconv-lite decodes chunk by chunk, so a file is never loaded whole to be converted.
  return encoding === 'windows-1252' ? iconv.decodeStream('win1252') : undefined;
}

/** The encoding csv-parse is told about once any decoder of ours has run. */
export function parserEncoding(encoding: CsvEncoding): BufferEncoding {
  return encoding === 'windows-1252' || encoding === 'utf8-bom' ? 'utf8' : encoding;
}

export function encodeText(text: string, encoding: CsvEncoding): Buffer {
  if (encoding === 'windows-1252') return iconv.encode(text, 'win1252');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.from(text, encoding);
}

/** False when a value has characters the encoding cannot hold (they would silently become '?'). */
export function canEncode(text: string, encoding: CsvEncoding): boolean {
  if (encoding === 'windows-1252') return iconv.decode(iconv.encode(text, 'win1252'), 'win1252') === text;
  if (encoding === 'latin1' || encoding === 'binary') return !/[^\u0000-\u00ff]/.test(text);
  if (encoding === 'ascii') return !/[^\u0000-\u007f]/.test(text);
  return true;
}
