import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random, URL-safe identifier (128 bits); used as primary key for every row. */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}

/** A random, URL-safe secret token with `bytes` of entropy (default 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time string comparison; unequal lengths compare as unequal without early exit on content. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
