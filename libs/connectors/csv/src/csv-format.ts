/**
 * Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV injection"):
 * '=1+1', '@SUM(...)', '+cmd|...', '-2+3', and a leading tab or carriage return that some versions skip.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote so a spreadsheet shows the text instead of evaluating it. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CSV line (RFC 4180 quoting): cells with the delimiter, a quote, a line break or edge spaces are quoted. */
export function formatRow(cells: string[], delimiter: string): string {
  return cells
    .map((raw) => {
      const cell = neutralise(raw);
      const quote = cell.includes(delimiter) || /["\r\n]/.test(cell) || cell !== cell.trim();
      return quote ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(delimiter);
}
