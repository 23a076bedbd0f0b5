import { z } from "zod";

/**
 * The platform's resource types, declared once. REST routes, OpenAPI, the
 * scope catalogue, audit resource types, webhook events and import/export
 * read this list: a new type is one entry here (rows live in the generic
 * PlatformResource table, so no migration is needed unless it wants columns).
 *
 * Pure data (no server code): the console's forms use the same schemas.
 */

const name = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._\-/]*$/u, "Start with a letter or digit; then letters, digits, spaces, dots, dashes, underscores or slashes.");
const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
const optionalText = (max: number) => text(max).optional();
const url = z.url({ message: "Enter a full URL, such as https://example.com/…" }).max(2048);
/** A reference to another resource of the organization, by name (names survive export and import). */
const reference = (type: string) => name.describe(`The name of a ${type} in the same organization.`).optional();

export interface ResourceType<S extends z.ZodObject = z.ZodObject> {
  /** Singular machine name, also the audit resource type and the webhook event prefix (`prop.created`). */
  type: string;
  /** URL segment and export area: /api/v1/<plural>. */
  plural: string;
  /** What people call it in the console. */
  label: string;
  labelPlural: string;
  description: string;
  /** Scope family: <family>:read|write|delete|manage (see lib/api-keys/scopes.ts). */
  scopeFamily: string;
  /** Whether the family has its own `delete` scope; otherwise deleting needs `write`. */
  hasDeleteScope: boolean;
  /** Webhook event family as shown in the console ("Prop", "Marquee", …). */
  eventFamily: string;
  /** The resource's own fields besides its name; stored as JSON, validated with this schema. */
  fields: S;
  /** Which fields name another resource type (by name), for import/export re-linking. */
  references: Partial<Record<keyof z.infer<S> & string, string>>;
}

function defineResource<S extends z.ZodObject>(r: ResourceType<S>): ResourceType<S> {
  return r;
}

export const RESOURCE_TYPES = [
  defineResource({
    type: "prop",
    plural: "props",
    label: "Prop",
    labelPlural: "Props",
    description: "A source repository the platform builds and runs.",
    scopeFamily: "props",
    hasDeleteScope: true,
    eventFamily: "Prop",
    fields: z.object({
      repositoryUrl: url.optional(),
      defaultBranch: text(100).default("main"),
      description: optionalText(500),
    }),
    references: {},
  }),
  defineResource({
    type: "marquee",
    plural: "marquees",
    label: "Marquee",
    labelPlural: "Marquees",
    description: "A host that runs playgrounds.",
    scopeFamily: "marquees",
    hasDeleteScope: true,
    eventFamily: "Marquee",
    fields: z.object({
      hostname: z
        .string()
        .trim()
        .min(1, "Enter a host name.")
        .max(253)
        .regex(/^[A-Za-z0-9.:-]+$/, "Use a DNS name or an IP address."),
      region: optionalText(64),
      status: z.enum(["active", "draining", "offline"]).default("active"),
    }),
    references: {},
  }),
  defineResource({
    type: "playspec",
    plural: "playspecs",
    label: "Playspec",
    labelPlural: "Playspecs",
    description: "An environment blueprint: image and resources.",
    scopeFamily: "playspecs",
    hasDeleteScope: true,
    eventFamily: "Playspec",
    fields: z.object({
      baseImage: text(300).min(1, "Enter an image, such as node:22."),
      cpu: z.coerce.number().min(0.1).max(64).default(1),
      memoryMb: z.coerce.number().int().min(64).max(262_144).default(1024),
      description: optionalText(500),
    }),
    references: {},
  }),
  defineResource({
    type: "playground",
    plural: "playgrounds",
    label: "Playground",
    labelPlural: "Playgrounds",
    description: "A running environment's configuration, from a playspec.",
    scopeFamily: "playgrounds",
    hasDeleteScope: true,
    eventFamily: "Playground",
    fields: z.object({
      playspec: reference("playspec"),
      prop: reference("prop"),
      marquee: reference("marquee"),
      ttlHours: z.coerce.number().int().min(1).max(24 * 30).default(24),
      status: z.enum(["running", "paused", "stopped"]).default("running"),
    }),
    references: { playspec: "playspec", prop: "prop", marquee: "marquee" },
  }),
  defineResource({
    type: "agent",
    plural: "agents",
    label: "Agent",
    labelPlural: "Agents",
    description: "An automated actor; API keys issued to it act as the agent.",
    scopeFamily: "agents",
    hasDeleteScope: true,
    eventFamily: "Agent",
    fields: z.object({
      kind: z.enum(["ci", "deploy", "assistant", "other"]).default("other"),
      description: optionalText(500),
    }),
    references: {},
  }),
  defineResource({
    type: "template",
    plural: "templates",
    label: "Template",
    labelPlural: "Templates",
    description: "An import template for new props and playgrounds.",
    scopeFamily: "import_templates",
    hasDeleteScope: false,
    eventFamily: "Template",
    fields: z.object({
      format: z.enum(["json", "yaml"]).default("yaml"),
      body: text(65_536).default(""),
    }),
    references: {},
  }),
  defineResource({
    type: "artefact",
    plural: "artefacts",
    label: "Artefact",
    labelPlural: "Artefacts",
    description: "A build output stored elsewhere, by address and checksum.",
    scopeFamily: "artefacts",
    hasDeleteScope: true,
    eventFamily: "Artefact",
    fields: z.object({
      uri: url,
      sha256: z
        .string()
        .trim()
        .regex(/^[a-f0-9]{64}$/, "Use the 64 lowercase hex characters of a SHA-256.")
        .optional(),
      sizeBytes: z.coerce.number().int().min(0).optional(),
      prop: reference("prop"),
    }),
    references: { prop: "prop" },
  }),
  defineResource({
    type: "feedback",
    plural: "feedbacks",
    label: "Feedback",
    labelPlural: "Feedback",
    description: "Feedback from users of the platform.",
    scopeFamily: "feedbacks",
    hasDeleteScope: true,
    eventFamily: "Feedback",
    fields: z.object({
      rating: z.coerce.number().int().min(1).max(5),
      body: text(5000).default(""),
    }),
    references: {},
  }),
  defineResource({
    type: "mutter",
    plural: "mutters",
    label: "Mutter",
    labelPlural: "Mutters",
    description: "A short status note posted by people or agents.",
    scopeFamily: "mutters",
    hasDeleteScope: false,
    eventFamily: "Mutter",
    fields: z.object({
      message: text(2000).min(1, "Write a message."),
    }),
    references: {},
  }),
] as const;

export type AnyResourceType = (typeof RESOURCE_TYPES)[number];
export type ResourceTypeName = AnyResourceType["type"];

export const RESOURCE_NAME_SCHEMA = name;

export function resourceType(type: string): AnyResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.type === type);
}

export function resourceTypeByPlural(plural: string): AnyResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.plural === plural);
}

export function isResourceTypeName(value: unknown): value is ResourceTypeName {
  return typeof value === "string" && RESOURCE_TYPES.some((r) => r.type === value);
}
