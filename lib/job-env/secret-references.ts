/**
 * Job ENV values may reference vault secrets as `{{secrets.NAME}}` (DESIGN.md
 * "Secret vault and job ENV"). Pure parsing and substitution, shared by save
 * time (reject what cannot resolve) and resolve time:
 * - `{{secrets.NAME}}`, spaces allowed inside the braces; NAME as secrets are named;
 * - `\{{` is a literal `{{` (an escape, for values that need the braces);
 * - any other `{{…}}`, or an unclosed `{{`, is an error naming it;
 * - substituted secret values are inserted verbatim, never parsed again, so a
 *   secret cannot pull in another (no recursion, no injection through a value).
 */

export type TemplatePart = { kind: "text"; text: string } | { kind: "secret"; name: string };

export type ParsedTemplate = { ok: true; parts: TemplatePart[]; names: string[] } | { ok: false; errors: string[] };

const REFERENCE = /^\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;

export function parseSecretReferences(value: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: string[] = [];
  let text = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("\\{{", i)) {
      text += "{{";
      i += 3;
      continue;
    }
    if (value.startsWith("{{", i)) {
      const match = REFERENCE.exec(value.slice(i));
      if (match) {
        if (text) parts.push({ kind: "text", text });
        text = "";
        parts.push({ kind: "secret", name: match[1] });
        i += match[0].length;
        continue;
      }
      const close = value.indexOf("}}", i + 2);
      const shown = close === -1 ? value.slice(i, i + 40) : value.slice(i, close + 2);
      errors.push(close === -1 ? `"${shown}" is not closed with }}.` : `"${shown.slice(0, 80)}" is not a reference: use {{secrets.NAME}}, or \\{{ for literal braces.`);
      if (close === -1) break;
      i = close + 2;
      continue;
    }
    text += value[i];
    i += 1;
  }
  if (errors.length > 0) return { ok: false, errors };
  if (text) parts.push({ kind: "text", text });
  const names = [...new Set(parts.flatMap((p) => (p.kind === "secret" ? [p.name] : [])))];
  return { ok: true, parts, names };
}

/**
 * Substitute the references of a parsed value with `lookup(name)`; names the
 * lookup does not know are returned as `missing` (and no value is produced).
 */
export function substituteSecrets(parts: readonly TemplatePart[], lookup: (name: string) => string | undefined): { ok: true; value: string } | { ok: false; missing: string[] } {
  const missing: string[] = [];
  let value = "";
  for (const part of parts) {
    if (part.kind === "text") {
      value += part.text;
      continue;
    }
    const secret = lookup(part.name);
    if (secret === undefined) {
      if (!missing.includes(part.name)) missing.push(part.name);
    } else value += secret;
  }
  return missing.length ? { ok: false, missing } : { ok: true, value };
}
