import type { Db } from "@/lib/server/db/client";
import { finishSecurityKeyRegistration, startSecurityKeyRegistration } from "@/lib/server/webauthn/register-security-key";
import { SoftwareAuthenticator } from "./software-authenticator";
import { testRequest } from "./test-db";

/** The relying party vitest's PUBLIC_URL (http://localhost:3000) yields. */
export const TEST_RP = { origin: "http://localhost:3000", rpID: "localhost" };

/** Register a software key for a user through the real ceremony (set-up for tests of what comes after). */
export async function registerSoftwareKey(
  db: Db,
  input: { userId: string; email: string; sessionId: string; name: string; organizationId: string; counter?: number },
) {
  const { userId, email, sessionId, name } = input;
  const key = new SoftwareAuthenticator(TEST_RP);
  const options = await startSecurityKeyRegistration(db, { userId, email, sessionId, displayName: name });
  const response = key.register(options, { counter: input.counter });
  const stored = await finishSecurityKeyRegistration(db, {
    userId,
    sessionId,
    name,
    response,
    actor: { userId, email, sessionId, request: testRequest },
    organizationId: input.organizationId,
  });
  return { key, stored };
}
