import { crc32 } from "node:zlib";

/**
 * Gatehouse API key format: `gat_` + 32 random base62 characters + 6 base62
 * characters of the CRC32 of the random part. The prefix lets leak scanners
 * find keys and the checksum lets them (and us, before any lookup) tell a real
 * key from a typo or a guess offline, as GitHub's tokens do.
 *
 *   gat_ 3V9kQ2mP7xW4nR8tL1cY6bH0jF5gD2sA 0x2QkM
 */
export const KEY_PREFIX = "gat_";
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

/** Base62 of a 32-bit checksum, left-padded to 6 characters (62^6 > 2^32). */
export function checksumOf(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Assemble a key from its 32-character random body. */
export function formatKey(body: string): string {
  if (body.length !== BODY_LENGTH || ![...body].every((c) => BASE62.includes(c))) throw new Error("a key body is 32 base62 characters");
  return `${KEY_PREFIX}${body}${checksumOf(body)}`;
}

/** Is this shaped like a Gatehouse key with a valid checksum? Cheap, offline, no lookup. */
export function hasValidChecksum(key: string): boolean {
  if (key.length !== KEY_LENGTH || !KEY_PATTERN.test(key)) return false;
  const body = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
  return checksumOf(body) === key.slice(KEY_PREFIX.length + BODY_LENGTH);
}

/** The part shown in lists to recognise a key: the first 8 characters after the prefix. */
export function displayPrefix(key: string): string {
  return key.slice(KEY_PREFIX.length, KEY_PREFIX.length + 8);
}
