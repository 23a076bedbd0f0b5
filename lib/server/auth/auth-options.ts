import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/lib/server/config";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { contextFromHeaderBag } from "@/lib/server/request-context";
import { signInSchema } from "@/lib/validations/auth";
import { authenticationResponseField } from "@/lib/validations/factor";
import { z } from "zod";
import { signInWithPasskey } from "./sign-in-with-passkey";
import { sessionCookieName } from "@/lib/session-cookie";
import { signInWithPassword, GENERIC_SIGN_IN_ERROR } from "./sign-in-with-password";
import { endSession } from "@/lib/server/sessions/end-session";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { sessionTokenMaxAgeSeconds } from "./decode-session-token";

function headerBag(headers: unknown): (name: string) => string | undefined {
  if (headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  const record = typeof headers === "object" && headers !== null ? (headers as Record<string, unknown>) : {};
  return (name) => {
    const v = record[name] ?? record[name.toLowerCase()];
    return typeof v === "string" ? v : undefined;
  };
}

const passkeySchema = z.object({ challengeId: z.string().min(1).max(64), response: authenticationResponseField });

/**
 * next-auth is only the sign-in door: its JWT carries nothing but the id of a
 * Session row (`sid`), and that row is checked on every request.
 */
export function getAuthOptions(): AuthOptions {
  const config = getConfig();
  const secure = config.secureCookies;
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  // One lifetime for the cookie (session.maxAge) and the token inside it (jwt.maxAge sets
  // `exp`; next-auth's default would be 30 days): SESSION_MAX_AGE_HOURS.
  const maxAge = sessionTokenMaxAgeSeconds(config);
  return {
    secret: config.sessionSecret,
    session: { strategy: "jwt", maxAge },
    jwt: { maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    useSecureCookies: secure,
    cookies: {
      sessionToken: { name: sessionCookieName(secure), options: cookieOptions },
      csrfToken: { name: `${secure ? "__Host-" : ""}gatehouse.csrf`, options: cookieOptions },
      callbackUrl: { name: `${secure ? "__Secure-" : ""}gatehouse.callback-url`, options: cookieOptions },
      state: { name: `${secure ? "__Secure-" : ""}gatehouse.state`, options: cookieOptions },
      pkceCodeVerifier: { name: `${secure ? "__Secure-" : ""}gatehouse.pkce`, options: cookieOptions },
      nonce: { name: `${secure ? "__Secure-" : ""}gatehouse.nonce`, options: cookieOptions },
    },
    providers: [
      CredentialsProvider({
        id: "password",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error(GENERIC_SIGN_IN_ERROR);
          try {
            const { sessionId } = await signInWithPassword(getDb(), {
              ...parsed.data,
              request: contextFromHeaderBag(headerBag(req.headers)),
            });
            return { id: sessionId };
          } catch (error) {
            // next-auth hands the message to the client as `error`; ours are safe to show.
            if (isAppError(error)) throw new Error(error.message);
            console.error("[gatehouse] sign-in failed", error);
            throw new Error("Sign-in is unavailable right now. Try again.");
          }
        },
      }),
      CredentialsProvider({
        id: "passkey",
        name: "Security key",
        credentials: { challengeId: { label: "Challenge", type: "text" }, response: { label: "Assertion", type: "text" } },
        async authorize(credentials, req) {
          const parsed = passkeySchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error("That security key could not be verified.");
          try {
            const { sessionId } = await signInWithPasskey(getDb(), {
              challengeId: parsed.data.challengeId,
              response: parsed.data.response,
              request: contextFromHeaderBag(headerBag(req.headers)),
            });
            return { id: sessionId };
          } catch (error) {
            if (isAppError(error)) throw new Error(error.message);
            console.error("[gatehouse] passkey sign-in failed", error);
            throw new Error("Sign-in is unavailable right now. Try again.");
          }
        },
      }),
    ],
    callbacks: {
      // next-auth follows `callbackUrl` after sign-in and sign-out: same rule as every other redirect.
      redirect({ url }) {
        return new URL(safeRedirectPath(url, config.publicUrl), config.publicUrl).href;
      },
      // Keep nothing but the session id in the token: no name, email or picture.
      jwt({ token, user }) {
        if (user) return { sid: user.id };
        return typeof token.sid === "string" ? { sid: token.sid } : {};
      },
      session({ session }) {
        return { expires: session.expires };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(getDb(), token.sid, "sign_out");
      },
    },
  };
}
