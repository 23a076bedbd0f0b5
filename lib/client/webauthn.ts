// Browser-side WebAuthn ceremonies. Never imports lib/server: the options come
// from a server action and the response goes back to one for verification.
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/browser";

export type CeremonyResult<T> = { ok: true; response: T } | { ok: false; message: string };

const UNSUPPORTED = "This browser does not support security keys. Use a current version of Chrome, Edge, Firefox or Safari.";

/** Ask the browser to create a credential for the given server options. */
export async function createSecurityKey(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<CeremonyResult<RegistrationResponseJSON>> {
  if (!browserSupportsWebAuthn()) return { ok: false, message: UNSUPPORTED };
  try {
    return { ok: true, response: await startRegistration({ optionsJSON }) };
  } catch (error) {
    return { ok: false, message: describeError(error, "register") };
  }
}

/**
 * Ask the browser for an assertion for the given server options. Not a React
 * hook despite the name: call it from an event handler.
 */
export async function getSecurityKeyAssertion(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
): Promise<CeremonyResult<AuthenticationResponseJSON>> {
  if (!browserSupportsWebAuthn()) return { ok: false, message: UNSUPPORTED };
  try {
    return { ok: true, response: await startAuthentication({ optionsJSON }) };
  } catch (error) {
    return { ok: false, message: describeError(error, "authenticate") };
  }
}

// @simplewebauthn/browser rethrows DOMExceptions as WebAuthnError with the
// original name, so the name is what tells the cases apart.
function describeError(error: unknown, ceremony: "register" | "authenticate"): string {
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
      return "The security key request was cancelled or timed out. Try again.";
    case "InvalidStateError":
      return ceremony === "register"
        ? "This security key is already registered to your account."
        : "This security key cannot be used here. Try another key.";
    case "AbortError":
      return "The security key request was cancelled.";
    case "SecurityError":
      return "Security keys cannot be used at this address. Open Gatehouse at its configured address and try again.";
    case "NotSupportedError":
      return "This security key does not support any of the methods Gatehouse accepts.";
    default:
      return ceremony === "register"
        ? "The security key could not be registered. Try again."
        : "The security key could not be used. Try again.";
  }
}
