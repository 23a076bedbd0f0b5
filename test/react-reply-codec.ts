// React's own Server Action reply codec, as Next 16 bundles it, for tests that
// check lib/server-action-request.ts against the real encoder and decoder.
// The server half needs React's "react-server" build, which Next selects with a
// bundler condition; here the resolution is redirected for those files only.
import Module, { createRequire } from "node:module";
import path from "node:path";

const compiled = path.resolve(__dirname, "..", "node_modules", "next", "dist", "compiled");
const require = createRequire(import.meta.url);

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
loader._resolveFilename = function (request, parent, ...rest) {
  const fromServerBuild = parent?.filename?.includes("react-server") ?? false;
  if (fromServerBuild && (request === "react" || request === "next/dist/compiled/react")) {
    return path.join(compiled, "react", "cjs", "react.react-server.production.js");
  }
  if (fromServerBuild && request === "react-dom") return path.join(compiled, "react-dom", "cjs", "react-dom.react-server.production.js");
  return original.call(this, request, parent, ...rest);
};

interface ReplyServer {
  decodeReply(body: string | FormData, manifest: object, options: { temporaryReferences: unknown }): Promise<unknown>;
  createTemporaryReferenceSet(): unknown;
}
interface ReplyClient {
  encodeReply(value: unknown): Promise<string | FormData>;
}

const server: ReplyServer = require(path.join(compiled, "react-server-dom-turbopack", "cjs", "react-server-dom-turbopack-server.node.production.js"));
const client: ReplyClient = require(path.join(compiled, "react-server-dom-turbopack", "cjs", "react-server-dom-turbopack-client.node.production.js"));

/** What the browser posts for a call with `args`: text/plain for a string reply, multipart for FormData. */
export async function encodeActionCall(args: readonly unknown[]): Promise<string | FormData> {
  return client.encodeReply(args);
}

/** Decode a reply body the way Next's action handler does; rejects where Next would answer 500. */
export function decodeActionCall(body: string | FormData): Promise<unknown> {
  return server.decodeReply(body, {}, { temporaryReferences: server.createTemporaryReferenceSet() });
}
