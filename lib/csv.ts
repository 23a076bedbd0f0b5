/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a text that starts
 * with = + - @ tab or carriage return would be read as a formula (CSV
 * injection, OWASP), so it gets a leading apostrophe; a cell with a comma,
 * quote or line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
