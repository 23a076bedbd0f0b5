import "server-only";
import { randomUUID } from "node:crypto";
// Loaded on first use, so a server without the package still starts far enough
// for the startup check to name it (lib/server/startup-check.ts).
type Sdk = typeof import("@aws-sdk/client-secrets-manager");
import { CANARY_VALUE, SecretsBackendError, canaryName, externalName, externalStored, parseExternalRef, timed, type SecretsBackend } from "./types";

export interface AwsBackendOptions {
  region: string;
  prefix: string;
  /** An endpoint override (the SDK also honours AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL itself). */
  endpoint?: string | null;
  /** Static credentials (tests); otherwise the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const DENIED = new Set(["UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "AccessDenied", "ExpiredTokenException", "IncompleteSignature", "SignatureDoesNotMatch"]);

/** Turn an SDK failure into a SecretsBackendError that names the operation and AWS's error, never a value. */
function failure(operation: string, error: unknown): SecretsBackendError {
  if (error instanceof SecretsBackendError) return error;
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? "Error";
  if (DENIED.has(name)) return new SecretsBackendError(`AWS Secrets Manager refused ${operation} (${name}): check the AWS credentials and their permissions.`, "denied");
  if (name === "ResourceNotFoundException") return new SecretsBackendError(`AWS Secrets Manager has no such secret (${operation}: ResourceNotFoundException).`, "not_found");
  if (e?.$metadata?.httpStatusCode === undefined && (e?.code || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timeout|socket/i.test(String(e?.message)))) {
    return new SecretsBackendError(`AWS Secrets Manager is unreachable (${operation}: ${e.code ?? name}).`, "unreachable");
  }
  return new SecretsBackendError(`AWS Secrets Manager failed ${operation} (${name}).`, "failed");
}

/**
 * Values live in AWS Secrets Manager, one secret per Gatehouse secret
 * (`<prefix><org id>/<secret id>`); the row keeps the name and the version id
 * the value was written as, and reads that exact version. An update refuses
 * to write over a version it did not know (checked with DescribeSecret).
 */
export function awsSecretsManagerBackend(options: AwsBackendOptions): SecretsBackend {
  let loaded: Promise<{ sdk: Sdk; client: InstanceType<Sdk["SecretsManagerClient"]> }> | null = null;
  const load = () =>
    (loaded ??= import("@aws-sdk/client-secrets-manager").then((sdk) => ({
      sdk,
      client: new sdk.SecretsManagerClient({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 8_000 },
      }),
    })));
  const call = async <T>(operation: string, fn: (sdk: Sdk, client: InstanceType<Sdk["SecretsManagerClient"]>) => Promise<T>): Promise<T> => {
    const { sdk, client } = await load();
    try {
      return await fn(sdk, client);
    } catch (error) {
      throw failure(operation, error);
    }
  };

  return {
    kind: "aws_secrets_manager",
    async put(secret, value, previous) {
      const name = externalName(options.prefix, secret);
      if (!previous || previous.masterKeyId !== "external:aws_secrets_manager") {
        const out = await call("CreateSecret", (sdk, client) =>
          client.send(new sdk.CreateSecretCommand({ Name: name, SecretString: value, ClientRequestToken: randomUUID(), Description: "Managed by Gatehouse", Tags: [{ Key: "gatehouse:organization", Value: secret.organizationId }] })),
        );
        return externalStored("aws_secrets_manager", { name, version: out.VersionId ?? "" });
      }
      const ref = parseExternalRef("aws_secrets_manager", previous);
      const described = await call("DescribeSecret", (sdk, client) => client.send(new sdk.DescribeSecretCommand({ SecretId: ref.name })));
      const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes("AWSCURRENT"))?.[0];
      if (current !== ref.version) throw new SecretsBackendError("The secret changed in AWS Secrets Manager since Gatehouse last wrote it: reload and try again.", "conflict");
      const out = await call("PutSecretValue", (sdk, client) => client.send(new sdk.PutSecretValueCommand({ SecretId: ref.name, SecretString: value, ClientRequestToken: randomUUID() })));
      return externalStored("aws_secrets_manager", { name: ref.name, version: out.VersionId ?? "" });
    },
    async get(_secret, stored) {
      const ref = parseExternalRef("aws_secrets_manager", stored);
      const out = await call("GetSecretValue", (sdk, client) => client.send(new sdk.GetSecretValueCommand({ SecretId: ref.name, ...(ref.version ? { VersionId: ref.version } : {}) })));
      if (typeof out.SecretString !== "string") throw new SecretsBackendError("AWS Secrets Manager returned no string value for this secret.", "failed");
      return out.SecretString;
    },
    async remove(_secret, stored) {
      const ref = parseExternalRef("aws_secrets_manager", stored);
      await call("DeleteSecret", (sdk, client) => client.send(new sdk.DeleteSecretCommand({ SecretId: ref.name, RecoveryWindowInDays: 7 }))).catch((error: unknown) => {
        if (!(error instanceof SecretsBackendError && error.reason === "not_found")) throw error;
      });
    },
    async health() {
      const canary = canaryName(options.prefix);
      return {
        list_secrets: await timed(async () => {
          await call("ListSecrets", (sdk, client) => client.send(new sdk.ListSecretsCommand({ MaxResults: 1, Filters: [{ Key: "name", Values: [options.prefix || canary] }] })));
        }),
        get_secret: await timed(async () => {
          const read = () => call("GetSecretValue", (sdk, client) => client.send(new sdk.GetSecretValueCommand({ SecretId: canary })));
          const out = await read().catch(async (error: unknown) => {
            if (!(error instanceof SecretsBackendError && error.reason === "not_found")) throw error;
            // First check on this account: write the canary (a constant, never a user value).
            await call("CreateSecret", (sdk, client) => client.send(new sdk.CreateSecretCommand({ Name: canary, SecretString: CANARY_VALUE, Description: "Gatehouse health canary" })));
            return read();
          });
          if (out.SecretString !== CANARY_VALUE) throw new Error("the canary secret holds an unexpected value");
        }),
      };
    },
  };
}
