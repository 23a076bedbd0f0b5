import "server-only";
import { openSecretValue, sealSecretValue } from "@/lib/crypto/envelope";
import { vaultMasterKeys } from "../vault-keys";
import { CANARY_VALUE, SecretsBackendError, storedBackendOf, timed, type SecretsBackend } from "./types";

/**
 * The default backend: the value is sealed (envelope encryption, lib/crypto/envelope.ts)
 * and kept in the Secret row itself.
 */
export function dbBackend(): SecretsBackend {
  return {
    kind: "db",
    async put(secret, value) {
      return sealSecretValue(vaultMasterKeys().current, secret, value);
    },
    async get(secret, stored) {
      const where = storedBackendOf(stored);
      if (where !== "db") throw new SecretsBackendError(`This secret's value is stored in ${where}, but SECRETS_BACKEND is db.`, "not_found");
      return openSecretValue(vaultMasterKeys().all, secret, stored);
    },
    async remove() {},
    async health(db) {
      return {
        list_secrets: await timed(async () => {
          await db.secret.count();
        }),
        get_secret: await timed(async () => {
          const binding = { id: "_health", name: "_canary", scopeKey: "organization" };
          const keys = vaultMasterKeys();
          if (openSecretValue(keys.all, binding, sealSecretValue(keys.current, binding, CANARY_VALUE)) !== CANARY_VALUE) throw new Error("the canary did not round-trip");
        }),
      };
    },
  };
}
