import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ACTION_BODY_LIMIT, checkServerActionRequest } from "./server-action-request";
import { decodeActionCall, encodeActionCall } from "@/test/react-reply-codec";

const ID = "7f4ed4ca2b08585f6c43ff9a65a29b49cff58ec1ed";

/** A POST as the browser sends it: fetch picks text/plain or multipart (with boundary) from the body. */
function post(body: string | FormData | Blob, headers: Record<string, string> = { "next-action": ID }) {
  return new Request("http://localhost/overview", { method: "POST", headers, body });
}

function form(entries: [string, string | Blob][]) {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
}

const check = (request: Request) => checkServerActionRequest(request);

describe("checkServerActionRequest: requests it leaves alone", () => {
  it("ignores GETs, API-style JSON posts and urlencoded form posts without next-action", async () => {
    expect(await check(new Request("http://localhost/overview"))).toBeNull();
    expect(await check(post('{"a":1}', { "content-type": "application/json" }))).toBeNull();
    expect(await check(post("a=b", { "content-type": "application/x-www-form-urlencoded" }))).toBeNull();
    expect(await check(post("garbage", { "content-type": "text/plain" }))).toBeNull();
  });

  it("accepts what React's client sends for Gatehouse's actions", async () => {
    // A call without arguments, a form action (previous state + FormData), and a no-JS form post.
    expect(await check(post("[]"))).toBeNull();
    const fields = form([["_1_email", "x@acme.test"], ["_1_role", "member"], ["0", '[{"ok":true,"data":{"email":"x@acme.test"}},"$K1"]']]);
    expect(await check(post(fields))).toBeNull();
    const noJs = form([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}`],
      ["$ACTION_1:1", "[null]"],
      ["$ACTION_KEY", "k123"],
      ["email", "x@acme.test"],
    ]);
    expect(await check(post(noJs, {}))).toBeNull();
    expect(await check(post(form([[`$ACTION_ID_${ID}`, ""], ["email", "x"]]), {}))).toBeNull();
  });
});

describe("checkServerActionRequest: malformed action requests are refused", () => {
  it.each([
    ["garbage text", post("garbage{")],
    ["an object instead of an argument list", post("{}")],
    ["a reference to a part a text body cannot have", post('["$1"]')],
    ["a lone dollar", post('["$"]')],
    ["a bigint that is not a number", post('["$nabc"]')],
    ["a server reference", post('["$h0"]')],
    // Valid for React, but no Gatehouse action takes one, and a dangling one is a 500.
    ["a Map argument", post(form([["0", '["$Q1"]'], ["1", "[]"]]))],
    ["more than 1,000 arguments", post(JSON.stringify(new Array(1001).fill(0)))],
    ["a multipart body without its argument list", post(form([["1_email", "x"]]))],
    ["a multipart argument list that is not JSON", post(form([["0", "[nope"]]))],
    ["a multipart reference to a missing part", post(form([["0", '["$@2"]']]))],
    ["a blob reference to a text part", post(form([["0", '["$B1"]'], ["1", "text"]]))],
    ["a nested part that is not JSON", post(form([["0", '["$1"]'], ["1", "{"]]))],
    ["garbage after a boundary", post("garbage", { "next-action": ID, "content-type": "multipart/form-data; boundary=xyz" })],
  ])("%s: 400", async (_name, request) => {
    expect(await check(request)).toMatchObject({ status: 400 });
  });

  it("refuses a multipart body without boundary, with or without next-action", async () => {
    expect(await check(post("garbage", { "next-action": ID, "content-type": "multipart/form-data" }))).toMatchObject({ status: 400 });
    expect(await check(post("garbage", { "content-type": "multipart/form-data" }))).toMatchObject({ status: 400 });
    expect(await check(post("garbage", { "content-type": "multipart/form-data; boundary=xyz" }))).toMatchObject({ status: 400 });
  });

  it("refuses a no-JS form post whose action descriptor is malformed", async () => {
    const broken = form([["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${ID}",`]]);
    expect(await check(post(broken, {}))).toMatchObject({ status: 400 });
    const dangling = form([["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${ID}","bound":"$@1"}`]]);
    expect(await check(post(dangling, {}))).toMatchObject({ status: 400 });
  });

  it("refuses content types a browser never sends for an action (415) and bodies over 1 MB (413)", async () => {
    expect(await check(post("[]", { "next-action": ID, "content-type": "application/json" }))).toMatchObject({ status: 415 });
    expect(await check(post("a=b", { "next-action": ID, "content-type": "application/x-www-form-urlencoded" }))).toMatchObject({ status: 415 });
    expect(await check(post("[]", { "next-action": ID, "content-type": "" }))).toMatchObject({ status: 415 });
    const big = `["${"a".repeat(ACTION_BODY_LIMIT)}"]`;
    expect(await check(post(big))).toMatchObject({ status: 413 });
    expect(await check(post(form([["0", big]])))).toMatchObject({ status: 413 });
  });

  it("lets through a body at the size limit, which React decodes", async () => {
    const body = `["${"a".repeat(ACTION_BODY_LIMIT - 4)}"]`;
    expect(await check(post(body))).toBeNull();
    await expect(decodeActionCall(body)).resolves.toHaveLength(1);
  });
});

// The arguments Gatehouse's actions take (none, or previous state and FormData), and the
// values React's encoder writes inline for them, "$"-escaped strings included.
const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string().map((s) => `$${s}`),
  fc.constant(undefined),
  fc.bigInt(),
  fc.double(),
  fc.date({ noInvalidDate: true }),
);
const previousState = fc.oneof(
  fc.constant(null),
  fc.record({ ok: fc.boolean(), code: fc.string(), message: fc.string(), values: fc.dictionary(fc.string(), fc.string(), { noNullPrototype: true }) }, { noNullPrototype: true }),
  fc.dictionary(fc.string(), leaf, { maxKeys: 4, noNullPrototype: true }),
);
const formArgument = fc
  .array(fc.tuple(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.string().map((s) => new Blob([s])))), { maxLength: 4 })
  .map((xs) => form(xs));
const argumentList = fc.oneof(fc.constant([]), fc.tuple(previousState, formArgument), fc.array(leaf, { maxLength: 4 }));

describe("checkServerActionRequest against React's reply codec", () => {
  it("accepts every body React's client encodes for an argument list", async () => {
    await fc.assert(
      fc.asyncProperty(argumentList, async (args) => {
        const body = await encodeActionCall(args);
        expect(await check(post(body))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  // Hostile "$" strings and JSON mixed into argument lists, as text or as multipart parts.
  const dollar = fc.constantFrom(
    "$", "$$", "$$x", "$0", "$1", "$2", "$0:0", "$0:9", "$1:a", "$@0", "$@1", "$K1", "$K", "$Q0", "$Q1", "$W1", "$i1",
    "$h1", "$B1", "$A1", "$R1", "$X1", "$n12", "$n-3", "$n", "$nabc", "$n1e3", "$D", "$Dnope", "$T", "$u", "$I", "$-0", "$N",
    "$F1", "$Z", "$ff", "$g1", "$1:", "$:1",
  );
  const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, dollar, fc.jsonValue({ maxDepth: 1 }), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), tie("value"), { maxKeys: 2 })),
  })).value;
  const hostileText = fc.oneof(
    fc.string(),
    fc.json(),
    fc.array(hostileValue, { maxLength: 4 }).map((xs) => JSON.stringify(xs)),
    hostileValue.map((x) => JSON.stringify(x) ?? "null"),
  );
  const hostileForm = fc
    .tuple(hostileText, fc.array(fc.tuple(fc.constantFrom("1", "2", "a", "1_x", "0"), fc.oneof(hostileText, fc.constant(null))), { maxLength: 4 }))
    .map(([root, parts]) => {
      const fd = new FormData();
      fd.append("0", root);
      for (const [k, v] of parts) fd.append(k, v === null ? new Blob(["x"]) : v);
      return fd;
    });

  it("lets through only bodies that React's decoder decodes (what it refuses would have been a 500)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText, hostileForm), async (body) => {
        const verdict = await check(post(body));
        if (verdict !== null) return;
        const decoded = await Promise.race([
          decodeActionCall(body),
          new Promise((_, reject) => setTimeout(() => reject(new Error("decode did not settle")), 2000)),
        ]);
        expect(Array.isArray(decoded)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
