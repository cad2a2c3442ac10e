import { parse, type Parser } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { decoderFor, parserEncoding, type CsvEncoding } from './csv-encoding';

export interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * The file's records as they are read, with csv-parse's line counter. Quoted values may hold
 * delimiters and line breaks. Nothing is loaded whole: bytes go file → decoder → parser.
 */
export function parseRecords(path: string, delimiter: string, encoding: CsvEncoding): AsyncIterable<ParsedRecord> {
  const parser: Parser = parse({
    delimiter,
    encoding: parserEncoding(encoding),
    bom: true,
    info: true,
    skip_empty_lines: true,
    // Counted by the caller instead, to report it with our own code and line.
    relax_column_count: true,
  });
  const decoder = decoderFor(encoding);
  // pipeline destroys the file stream when the parser stops early (a thrown row, a break).
  return decoder ? pipeline(createReadStream(path), decoder, parser, () => undefined) : pipeline(createReadStream(path), parser, () => undefined);
}
