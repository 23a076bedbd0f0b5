import "server-only";

/**
 * Read a request body up to `limit` bytes. A declared Content-Length above the
 * limit is refused before reading; a body that grows past it while streaming is
 * cancelled there (never buffered whole). Returns the bytes or "too_large".
 */
export async function readCappedBody(request: Request, limit: number): Promise<Buffer | "too_large"> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) return "too_large";
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return "too_large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
