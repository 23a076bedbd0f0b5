/**
 * A cheap shape check of Server Action requests for proxy.ts. Next 16 answers
 * 400/409 for an unknown action id, but a known id with a body React cannot
 * decode (garbage, a multipart body without boundary, a reference to a part
 * that is not there, more than 1,000 arguments, more than 1 MB) ends in a 500.
 * lib/server-action-request.test.ts holds this against React's real codec.
 * This refuses those before Next sees them. It accepts every body React's
 * client (encodeReply, and the no-JS form post) produces for Gatehouse's
 * actions; it is not a second decoder and does not try to be.
 */

/** A refusal: the HTTP status and a short reason. */
export interface MalformedAction {
  status: 400 | 413 | 415;
  reason: string;
}

/**
 * Bodies up to this size. Next's own limit is 1 MB (1,048,576 bytes), but React's
 * decoder also refuses (with a 500) an argument list of more than 1,000,000
 * elements and characters, which a body of at most 1,000,000 bytes cannot reach.
 */
export const ACTION_BODY_LIMIT = 1_000_000;
/** Next refuses (with a 500) a call with more arguments than this. */
const ACTION_ARGS_LIMIT = 1000;
const MAX_DEPTH = 64;

type Fields = Map<string, FormDataEntryValue>;

/**
 * The "$" strings allowed in an argument list: the ones React's decoder turns into a
 * value on the spot ("$$…" an escaped string, "$undefined", "$Infinity", "$NaN",
 * "$-0", "$D<date>", "$n<digits>", "$T" a temporary reference, "$K<n>" a FormData
 * argument). References to other parts (outlined objects, Map, Set, promises,
 * typed arrays, blobs, streams, server references) are refused: Gatehouse's actions
 * take no such arguments, and a dangling or mistyped one is a 500 inside React.
 */
function inlineValuesOnly(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((v) => inlineValuesOnly(v, depth + 1));
  if (value !== null && typeof value === "object") return Object.values(value).every((v) => inlineValuesOnly(v, depth + 1));
  if (typeof value !== "string" || !value.startsWith("$")) return true;
  if (value.startsWith("$n")) return /^\$n-?\d{1,300}$/.test(value);
  return /^\$[$uINDTK-]/.test(value);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A JSON argument list (React's reply root, or a form's bound arguments) made of inline values only. */
function isArgumentList(part: FormDataEntryValue | undefined): boolean {
  if (typeof part !== "string") return false;
  const parsed = parseJson(part);
  return parsed.ok && Array.isArray(parsed.value) && parsed.value.length <= ACTION_ARGS_LIMIT && inlineValuesOnly(parsed.value, 0);
}

/** A fetch action: part "0" is the argument list. */
function checkArguments(fields: Fields): MalformedAction | null {
  return isArgumentList(fields.get("0")) ? null : { status: 400, reason: "The action arguments are malformed." };
}

/**
 * The no-JS form post: each `$ACTION_REF_<n>` names a descriptor part
 * `$ACTION_<n>:0`, `{ "id": …, "bound": null | "$@<k>" }`, whose bound arguments
 * are the argument list in part `$ACTION_<n>:<k>`.
 */
function checkFormPost(fields: Fields): MalformedAction | null {
  for (const key of fields.keys()) {
    if (!key.startsWith("$ACTION_REF_")) continue;
    const prefix = `$ACTION_${key.slice("$ACTION_REF_".length)}:`;
    const descriptor = fields.get(`${prefix}0`);
    if (typeof descriptor !== "string") continue; // Next refuses a missing descriptor itself (400).
    const parsed = parseJson(descriptor);
    const value = parsed.ok ? parsed.value : null;
    const malformed: MalformedAction = { status: 400, reason: "The form's action descriptor is malformed." };
    if (value === null || typeof value !== "object" || Array.isArray(value)) return malformed;
    const { id, bound, ...rest } = value as Record<string, unknown>;
    if (typeof id !== "string" || !inlineValuesOnly(rest, 0)) return malformed;
    if (bound === null || bound === undefined) continue;
    const ref = typeof bound === "string" ? /^\$@([0-9a-f]+)$/i.exec(bound) : null;
    if (!ref || ref[1] === "0" || !isArgumentList(fields.get(prefix + parseInt(ref[1], 16)))) return malformed;
  }
  return null;
}

async function readText(request: Request): Promise<string | null> {
  const text = await request.text().catch(() => null);
  return text !== null && Buffer.byteLength(text) <= ACTION_BODY_LIMIT ? text : null;
}

/**
 * Null when `request` is not a Server Action request or looks like one React can
 * decode; otherwise the refusal. Reads the body of candidate requests (POSTs with a
 * `next-action` header, and multipart POSTs, which may be no-JS form actions), so
 * pass a request whose body nothing else needs (proxy.ts gets its own copy).
 */
export async function checkServerActionRequest(request: Request): Promise<MalformedAction | null> {
  if (request.method !== "POST") return null;
  const actionId = request.headers.get("next-action");
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  const multipart = contentType.startsWith("multipart/form-data");
  if (actionId === null && !multipart) return null;

  if (actionId !== null && !multipart && !contentType.startsWith("text/plain")) {
    return { status: 415, reason: "Server Actions are posted as multipart/form-data or text/plain." };
  }
  if (multipart && !/;\s*boundary=/.test(contentType)) return { status: 400, reason: "The multipart body has no boundary." };
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > ACTION_BODY_LIMIT) return { status: 413, reason: "The request body is larger than 1 MB." };

  if (!multipart) {
    const text = await readText(request);
    if (text === null) return { status: 413, reason: "The request body is larger than 1 MB." };
    return checkArguments(new Map([["0", text]]));
  }
  if (length === 0) {
    // Chunked: measure before parsing.
    const text = await readText(request.clone());
    if (text === null) return { status: 413, reason: "The request body is larger than 1 MB." };
  }
  const form = await request.formData().catch(() => null);
  if (!form) return { status: 400, reason: "The multipart body cannot be parsed." };
  const fields: Fields = new Map();
  // React reads the last value of a repeated name; so do we.
  for (const [key, value] of form.entries()) fields.set(key, value);
  return actionId !== null ? checkArguments(fields) : checkFormPost(fields);
}
