import { z } from "zod";

/**
 * The platform's resource types, declared once. REST routes, OpenAPI, the
 * scope catalogue, audit resource types, webhook events, import/export and the
 * console's forms read this list: a new type is one entry here (rows live in
 * the generic PlatformResource table, so no migration is needed unless it
 * wants columns).
 *
 * Field schemas are strict (numbers are numbers): they describe what is stored
 * and what the API accepts. lib/validations/resources.ts wraps them for input
 * that arrives as form strings. Field names are snake_case, like the rest of
 * the API (`created_at`, `next_cursor`).
 *
 * Pure data (no server code): the console's forms are generated from it.
 */

const name = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, { error: "Enter a name.", abort: true })
  .max(100, "Use at most 100 characters.")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._\-/]*$/u, "Start with a letter or digit; then letters, digits, spaces, dots, dashes, underscores or slashes.");
const text = (max: number, required = "Enter some text.") => z.string({ error: required }).trim().max(max, `Use at most ${max} characters.`);
const optionalText = (max: number) => text(max).optional();
const whole = (min: number, max: number) =>
  z
    .number({ error: `Enter a whole number from ${min} to ${max}.` })
    .int(`Enter a whole number from ${min} to ${max}.`)
    .min(min, `Use at least ${min}.`)
    .max(max, `Use at most ${max}.`);
/** A reference to another resource of the organization, by name (names survive export and import). */
const reference = (type: string) => name.describe(`The name of a ${type} in the same organization.`).optional();

/** How the console presents one field. */
export interface FieldUi {
  label: string;
  hint?: string;
  placeholder?: string;
  /** Long text: a textarea in forms, cut short in lists. */
  multiline?: boolean;
}

type FieldName<S extends z.ZodObject> = keyof S["shape"] & string;

export interface ResourceType<S extends z.ZodObject = z.ZodObject> {
  /** Singular machine name, also the audit resource type and the webhook event prefix (`prop.created`). */
  type: string;
  /** URL segment and export area: /api/v1/<plural>, /platform/<plural>. */
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
  /** Labels and hints of every field, for generated forms and lists. */
  ui: Record<FieldName<S>, FieldUi>;
  /** The fields shown next to the name in lists. */
  columns: readonly FieldName<S>[];
  /** Which fields name another resource type (by name): checked on save, re-linked by import/export. */
  references: Partial<Record<FieldName<S>, string>>;
  /**
   * The field holding the id of a vault workspace (Settings → Teams): checked on save to be
   * one of the organization's workspaces. Job ENV resolves a Prop's secret references from
   * that workspace's scope upward (workspace, its team, the organization).
   */
  workspaceField?: FieldName<S>;
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
      repository_url: z
        .url({ protocol: /^(https?|ssh|git)$/, error: "Enter the repository's https://, ssh:// or git:// URL." })
        .max(2048, "Use at most 2048 characters.")
        .optional(),
      default_branch: text(100).min(1, "Enter a branch name.").default("main"),
      description: optionalText(500),
      workspace_id: z
        .string({ error: "Enter a workspace id." })
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "Enter the id of a workspace (Settings → Teams).")
        .optional(),
    }),
    ui: {
      repository_url: { label: "Repository URL", placeholder: "https://git.example.com/team/app.git" },
      default_branch: { label: "Default branch", hint: "Leave empty for main." },
      description: { label: "Description", multiline: true },
      workspace_id: { label: "Workspace", hint: "Its jobs resolve {{secrets.NAME}} from this workspace, its team, then the organization. Leave empty for organization secrets only." },
    },
    columns: ["repository_url", "default_branch"],
    references: {},
    workspaceField: "workspace_id",
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
        .string({ error: "Enter a host name." })
        .trim()
        .min(1, { error: "Enter a host name.", abort: true })
        .max(253, "Use at most 253 characters.")
        .regex(/^[A-Za-z0-9.:-]+$/, "Use a DNS name or an IP address."),
      region: optionalText(64),
      status: z.enum(["active", "draining", "offline"], { error: "Choose active, draining or offline." }).default("active"),
    }),
    ui: {
      hostname: { label: "Host name", placeholder: "runner-1.example.com" },
      region: { label: "Region", placeholder: "eu-west" },
      status: { label: "Status", hint: "Draining hosts finish their playgrounds but take no new ones." },
    },
    columns: ["hostname", "region", "status"],
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
      base_image: text(300, "Enter an image, such as node:22.").min(1, "Enter an image, such as node:22."),
      cpu: z
        .number({ error: "Enter a number of CPUs from 0.1 to 64." })
        .min(0.1, "Use at least 0.1.")
        .max(64, "Use at most 64.")
        .default(1),
      memory_mb: whole(64, 262_144).default(1024),
      description: optionalText(500),
    }),
    ui: {
      base_image: { label: "Base image", placeholder: "node:22" },
      cpu: { label: "CPUs" },
      memory_mb: { label: "Memory (MB)" },
      description: { label: "Description", multiline: true },
    },
    columns: ["base_image", "cpu", "memory_mb"],
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
      ttl_hours: whole(1, 24 * 30).default(24),
      status: z.enum(["running", "paused", "stopped"], { error: "Choose running, paused or stopped." }).default("running"),
    }),
    ui: {
      playspec: { label: "Playspec", hint: "The blueprint it runs." },
      prop: { label: "Prop", hint: "The repository it runs." },
      marquee: { label: "Marquee", hint: "The host it runs on." },
      ttl_hours: { label: "Time to live (hours)", hint: "Stopped automatically after this long; at most 720." },
      status: { label: "Status" },
    },
    columns: ["playspec", "marquee", "status"],
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
      kind: z.enum(["ci", "deploy", "assistant", "other"], { error: "Choose ci, deploy, assistant or other." }).default("other"),
      description: optionalText(500),
    }),
    ui: {
      kind: { label: "Kind" },
      description: { label: "Description", multiline: true },
    },
    columns: ["kind"],
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
      format: z.enum(["json", "yaml"], { error: "Choose json or yaml." }).default("yaml"),
      body: text(65_536).default(""),
    }),
    ui: {
      format: { label: "Format" },
      body: { label: "Body", multiline: true, hint: "The template itself, at most 64 KiB." },
    },
    columns: ["format"],
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
      uri: z
        .url({ protocol: /^(https?|s3|gs|oci)$/, error: "Enter the artefact's https://, s3://, gs:// or oci:// address." })
        .max(2048, "Use at most 2048 characters."),
      sha256: z
        .string({ error: "Use the 64 lowercase hex characters of a SHA-256." })
        .trim()
        .regex(/^[a-f0-9]{64}$/, "Use the 64 lowercase hex characters of a SHA-256.")
        .optional(),
      size_bytes: whole(0, Number.MAX_SAFE_INTEGER).optional(),
      prop: reference("prop"),
    }),
    ui: {
      uri: { label: "Address", placeholder: "s3://builds/app/1.4.2.tar.gz" },
      sha256: { label: "SHA-256" },
      size_bytes: { label: "Size (bytes)" },
      prop: { label: "Prop", hint: "The repository it was built from." },
    },
    columns: ["uri", "prop"],
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
      rating: whole(1, 5),
      body: text(5000).default(""),
    }),
    ui: {
      rating: { label: "Rating", hint: "From 1 (poor) to 5 (excellent)." },
      body: { label: "Feedback", multiline: true },
    },
    columns: ["rating"],
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
      message: text(2000, "Write a message.").min(1, "Write a message."),
    }),
    ui: {
      message: { label: "Message", multiline: true },
    },
    columns: ["message"],
    references: {},
  }),
] as const;

export type AnyResourceType = (typeof RESOURCE_TYPES)[number];
export type ResourceTypeName = AnyResourceType["type"];

/**
 * Any entry of the registry, as code that handles every type sees it (the
 * declared entries keep their precise field types in RESOURCE_TYPES).
 */
export interface ResourceDefinition extends Omit<ResourceType, "fields" | "ui" | "columns" | "references" | "workspaceField"> {
  type: ResourceTypeName;
  fields: z.ZodType<Record<string, unknown>> & { shape: Record<string, z.ZodType> };
  ui: Record<string, FieldUi>;
  columns: readonly string[];
  references: Partial<Record<string, ResourceTypeName>>;
  workspaceField?: string;
}

export const RESOURCE_DEFINITIONS: readonly ResourceDefinition[] = RESOURCE_TYPES;

export const RESOURCE_NAME_SCHEMA = name;

export function resourceType(type: string): ResourceDefinition | undefined {
  return RESOURCE_DEFINITIONS.find((r) => r.type === type);
}

export function resourceTypeByPlural(plural: string): ResourceDefinition | undefined {
  return RESOURCE_DEFINITIONS.find((r) => r.plural === plural);
}

export function isResourceTypeName(value: unknown): value is ResourceTypeName {
  return typeof value === "string" && RESOURCE_TYPES.some((r) => r.type === value);
}
