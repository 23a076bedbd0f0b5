import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { BASE62, formatKey } from "@/lib/api-keys/key-format";

/** 32 uniformly random base62 characters (rejection sampling: bytes ≥ 248 are redrawn). */
function randomBody(): string {
  let out = "";
  while (out.length < 32) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < 32) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new raw key (shown once) and its SHA-256, the only form stored. */
export function generateApiKey(): { raw: string; hash: string } {
  const raw = formatKey(randomBody());
  return { raw, hash: hashApiKey(raw) };
}

export function hashApiKey(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}
