import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { FactorProofInput } from "@/lib/validations/factor";
import type { FactorProof } from "./verify-factor";

/** Turn a parsed form proof into the domain's FactorProof. */
export function toFactorProof(input: FactorProofInput): FactorProof {
  switch (input.method) {
    case "password":
      return { kind: "password", password: input.password };
    case "totp":
      return { kind: "totp", code: input.code };
    case "recovery_code":
      return { kind: "recovery_code", code: input.code };
    case "security_key":
      // The schema checked the shape; the signature itself is checked by @simplewebauthn/server.
      return { kind: "security_key", response: input.response };
  }
}
