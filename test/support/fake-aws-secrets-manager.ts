import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback AWS Secrets Manager speaking the real wire protocol: AWS JSON 1.1
 * (`POST /`, `content-type: application/x-amz-json-1.1`, `X-Amz-Target:
 * secretsmanager.<Operation>`), with every request's SigV4 signature
 * recomputed from the test credentials and refused with AWS's own error shape
 * (400, `x-amzn-errortype`, `{"__type", "message"}`) when it does not match.
 * Only what Gatehouse uses: CreateSecret, PutSecretValue, GetSecretValue,
 * DeleteSecret, ListSecrets, DescribeSecret.
 */

export interface FakeAwsOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

interface Version {
  id: string;
  value: string;
  stages: string[];
  created: number;
}
interface Entry {
  arn: string;
  name: string;
  description?: string;
  versions: Version[];
  deletedAt?: number;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

export interface FakeAws {
  url: string;
  /** Every request that reached an operation (after the signature check), in order. */
  calls: { operation: string; body: Record<string, unknown> }[];
  /** Requests refused before any operation ran (bad signature, unknown key, …). */
  refused: { type: string }[];
  secrets: Map<string, Entry>;
  /** Set a value behind Gatehouse's back (what another AWS user could do). */
  putBehindTheBack(name: string, value: string): void;
  close(): Promise<void>;
}

export async function startFakeAwsSecretsManager(opts: FakeAwsOptions): Promise<FakeAws> {
  const secrets = new Map<string, Entry>();
  const calls: FakeAws["calls"] = [];
  const refused: FakeAws["refused"] = [];
  const account = "123456789012";

  function verifySignature(req: IncomingMessage, body: Buffer) {
    const auth = req.headers.authorization;
    if (!auth) throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token");
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new AwsError("IncompleteSignatureException", "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
    const [, keyId, date, region, service, signedHeaders, signature] = m;
    if (keyId !== opts.accessKeyId) throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.");
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) throw new AwsError("IncompleteSignatureException", "Date must be in ISO-8601 'basic format'.");
    const when = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
    if (Math.abs(Date.now() - when) > 5 * 60_000) throw new AwsError("InvalidSignatureException", "Signature expired: the request time is more than 5 minutes from the server time.");
    if (region !== opts.region || service !== "secretsmanager") throw new AwsError("InvalidSignatureException", `Credential should be scoped to a valid region and service (${opts.region}/secretsmanager).`);
    const names = signedHeaders.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) throw new AwsError("InvalidSignatureException", "host and x-amz-date must be signed.");
    const payloadHash = sha256(body);
    const claimed = req.headers["x-amz-content-sha256"];
    if (claimed && claimed !== payloadHash && claimed !== "UNSIGNED-PAYLOAD") throw new AwsError("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    const url = new URL(req.url ?? "/", "http://x");
    const canonicalQuery = [...url.searchParams.entries()]
      .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const canonicalRequest = [req.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${opts.secretAccessKey}`, date), region), service), "aws4_request");
    const expected = createHmac("sha256", key).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
      throw new AwsError("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }
  }

  const find = (id: unknown): Entry => {
    const key = String(id ?? "");
    const entry = secrets.get(key) ?? [...secrets.values()].find((e) => e.arn === key);
    if (!entry) throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return entry;
  };
  const live = (id: unknown): Entry => {
    const entry = find(id);
    if (entry.deletedAt) throw new AwsError("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
    return entry;
  };
  const stagesMap = (e: Entry) => Object.fromEntries(e.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]));
  function addVersion(e: Entry, value: string, token?: unknown): Version {
    const id = typeof token === "string" && token ? token : randomUUID();
    if (e.versions.some((v) => v.id === id)) throw new AwsError("ResourceExistsException", "A resource with the ID you requested already exists.");
    for (const v of e.versions) v.stages = v.stages.filter((s) => s !== "AWSPREVIOUS");
    for (const v of e.versions) if (v.stages.includes("AWSCURRENT")) v.stages = v.stages.filter((s) => s !== "AWSCURRENT").concat("AWSPREVIOUS");
    const version = { id, value, stages: ["AWSCURRENT"], created: Date.now() / 1000 };
    e.versions.push(version);
    return version;
  }
  const requireString = (body: Record<string, unknown>, field: string) => {
    if (typeof body[field] !== "string" || body[field] === "") throw new AwsError("InvalidParameterException", `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
    return body[field] as string;
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    CreateSecret(body) {
      const name = requireString(body, "Name");
      if (secrets.has(name)) throw new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
      const entry: Entry = { arn: `arn:aws:secretsmanager:${opts.region}:${account}:secret:${name}-${randomUUID().slice(0, 6)}`, name, description: body.Description as string | undefined, versions: [] };
      const version = addVersion(entry, requireString(body, "SecretString"), body.ClientRequestToken);
      secrets.set(name, entry);
      return { ARN: entry.arn, Name: name, VersionId: version.id };
    },
    PutSecretValue(body) {
      const entry = live(requireString(body, "SecretId"));
      const version = addVersion(entry, requireString(body, "SecretString"), body.ClientRequestToken);
      return { ARN: entry.arn, Name: entry.name, VersionId: version.id, VersionStages: version.stages };
    },
    GetSecretValue(body) {
      const entry = live(requireString(body, "SecretId"));
      const version = body.VersionId
        ? entry.versions.find((v) => v.id === body.VersionId)
        : entry.versions.find((v) => v.stages.includes(String(body.VersionStage ?? "AWSCURRENT")));
      if (!version) throw new AwsError("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${String(body.VersionId ?? body.VersionStage)}`);
      return { ARN: entry.arn, Name: entry.name, VersionId: version.id, SecretString: version.value, VersionStages: version.stages, CreatedDate: version.created };
    },
    DeleteSecret(body) {
      const entry = find(requireString(body, "SecretId"));
      if (body.ForceDeleteWithoutRecovery === true) secrets.delete(entry.name);
      else entry.deletedAt ??= Date.now() / 1000 + Number(body.RecoveryWindowInDays ?? 30) * 86_400;
      return { ARN: entry.arn, Name: entry.name, DeletionDate: entry.deletedAt ?? Date.now() / 1000 };
    },
    DescribeSecret(body) {
      const entry = find(requireString(body, "SecretId"));
      return { ARN: entry.arn, Name: entry.name, Description: entry.description, VersionIdsToStages: stagesMap(entry), ...(entry.deletedAt ? { DeletedDate: entry.deletedAt } : {}) };
    },
    ListSecrets(body) {
      const filters = (body.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
      const max = Number(body.MaxResults ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new AwsError("InvalidParameterException", "MaxResults must be between 1 and 100.");
      const all = [...secrets.values()].filter((e) => !e.deletedAt && filters.every((f) => f.Key !== "name" || f.Values.some((v) => e.name.startsWith(v))));
      const start = Number(body.NextToken ?? 0);
      const page = all.slice(start, start + max);
      return { SecretList: page.map((e) => ({ ARN: e.arn, Name: e.name, SecretVersionsToStages: stagesMap(e) })), ...(start + max < all.length ? { NextToken: String(start + max) } : {}) };
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const requestId = randomUUID();
      const send = (status: number, payload: unknown, errorType?: string) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId, ...(errorType ? { "x-amzn-errortype": errorType } : {}) });
        res.end(JSON.stringify(payload));
      };
      try {
        if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== "/") throw new AwsError("UnknownOperationException", "Unknown operation", 404);
        verifySignature(req, body);
        if (!String(req.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.1")) throw new AwsError("UnknownOperationException", "Content type must be application/x-amz-json-1.1");
        const target = String(req.headers["x-amz-target"] ?? "");
        const operation = target.startsWith("secretsmanager.") ? operations[target.slice("secretsmanager.".length)] : undefined;
        if (!operation) throw new AwsError("UnknownOperationException", `Unknown operation ${target}`);
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
        } catch {
          throw new AwsError("SerializationException", "Could not parse the request body.");
        }
        calls.push({ operation: target.slice("secretsmanager.".length), body: parsed });
        send(200, operation(parsed));
      } catch (error) {
        const e = error instanceof AwsError ? error : new AwsError("InternalServiceError", "An error occurred on the server side.", 500);
        if (["MissingAuthenticationTokenException", "IncompleteSignatureException", "UnrecognizedClientException", "InvalidSignatureException"].includes(e.type)) refused.push({ type: e.type });
        send(e.status, { __type: e.type, message: e.message }, e.type);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    refused,
    secrets,
    putBehindTheBack(name, value) {
      addVersion(live(name), value);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
