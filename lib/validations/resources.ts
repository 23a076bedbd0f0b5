import { z } from "zod";
import { isResourceTypeName, RESOURCE_NAME_SCHEMA, resourceType, type ResourceDefinition, type ResourceTypeName } from "@/lib/resources/registry";

/**
 * Input schemas of platform resources, built from the registry: one per type
 * for creating (name + fields) and one for partial updates. The same schemas
 * read JSON (the REST API) and form posts, where every value is a string:
 * numeric strings become numbers, and an empty optional field counts as left
 * out (on create) or cleared (on update, like `null` in a JSON merge patch).
 */

/** A field's schema under its optional/default wrapper. */
interface FieldShape {
  base: z.ZodType;
  /** May be left out: optional, or has a default. */
  omittable: boolean;
  defaultValue: unknown;
}

function shapeOf(schema: z.ZodType): FieldShape {
  let current: z.ZodType = schema;
  let omittable = false;
  let defaultValue: unknown = undefined;
  for (;;) {
    if (current instanceof z.ZodOptional) {
      omittable = true;
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodDefault) {
      omittable = true;
      defaultValue = current.def.defaultValue;
      current = current.unwrap() as z.ZodType;
    } else {
      return { base: current, omittable, defaultValue };
    }
  }
}

const blank = (value: unknown) => typeof value === "string" && value.trim() === "";
const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A form's string for a number field becomes a number; anything else is left for the schema to judge. */
function numberFromForm(base: z.ZodType, value: unknown): unknown {
  return base instanceof z.ZodNumber && typeof value === "string" && NUMERIC.test(value) ? Number(value) : value;
}

function fieldEntries(def: ResourceDefinition): [string, z.ZodType][] {
  return Object.entries(def.fields.shape as Record<string, z.ZodType>);
}

export type ResourceInput = { name: string } & Record<string, unknown>;
export type ResourcePatch = { name?: string } & Record<string, unknown>;

const createSchemas = new Map<string, z.ZodType<ResourceInput>>();
const patchSchemas = new Map<string, z.ZodType<ResourcePatch>>();

/** Name and fields of a new resource of `def`'s type. Unknown keys are dropped. */
export function resourceInputSchema(def: ResourceDefinition): z.ZodType<ResourceInput> {
  let schema = createSchemas.get(def.type);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of fieldEntries(def)) {
      const { base, omittable } = shapeOf(field);
      shape[key] = z.preprocess((value) => ((value === null || blank(value)) && omittable ? undefined : numberFromForm(base, value)), field);
    }
    schema = z.object({ ...shape, name: RESOURCE_NAME_SCHEMA }) as z.ZodType<ResourceInput>;
    createSchemas.set(def.type, schema);
  }
  return schema;
}

/**
 * A partial update of a resource of `def`'s type: keys left out stay as they
 * are, `null` (or an empty form field) clears a field back to its default or
 * to unset. The merged result is validated again with the type's schema.
 */
export function resourcePatchSchema(def: ResourceDefinition): z.ZodType<ResourcePatch> {
  let schema = patchSchemas.get(def.type);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of fieldEntries(def)) {
      const { base } = shapeOf(field);
      shape[key] = z.preprocess((value) => (value === undefined ? undefined : blank(value) ? null : numberFromForm(base, value)), base.nullable().optional());
    }
    schema = z.object({ ...shape, name: RESOURCE_NAME_SCHEMA.optional() }) as z.ZodType<ResourcePatch>;
    patchSchemas.set(def.type, schema);
  }
  return schema;
}

export const resourceTypeNameSchema = z.custom<ResourceTypeName>(isResourceTypeName, "Unknown resource type.");
const resourceIdSchema = z.string().min(1).max(64);

/** Re-parse the rest of a form post with the schema of the type it names, keeping field paths. */
function withTypeSchema<T>(extra: z.ZodRawShape, pick: (def: ResourceDefinition) => z.ZodType<T>) {
  return z.looseObject({ type: resourceTypeNameSchema, ...extra }).transform((value, ctx) => {
    const def: ResourceDefinition = resourceType(value.type)!;
    const parsed = pick(def).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return { type: value.type, id: typeof value.id === "string" ? value.id : "", values: parsed.data };
  });
}

/** The console's create form: `type` plus the type's fields. */
export const createResourceFormSchema = withTypeSchema({}, resourceInputSchema);
/** The console's edit form: `type`, `id`, and every field (an empty one clears it). */
export const updateResourceFormSchema = withTypeSchema({ id: resourceIdSchema }, resourcePatchSchema);
export const deleteResourceFormSchema = z.object({ type: resourceTypeNameSchema, id: resourceIdSchema });
export const resourcePageFormSchema = z.object({ type: resourceTypeNameSchema, cursor: z.string().min(1).max(200) });

/** A choice of a reference or workspace select: the stored value and what the form shows. */
export interface FieldChoice {
  value: string;
  label: string;
}

/** One input of a generated resource form: plain data, so a client component can render it. */
export interface ResourceFormField {
  name: string;
  label: string;
  hint?: string;
  placeholder?: string;
  kind: "text" | "url" | "number" | "select" | "textarea" | "reference" | "workspace";
  required: boolean;
  /** Choices of a select. */
  options?: readonly string[];
  /** The type whose names a reference offers. */
  referenceType?: string;
  min?: number;
  max?: number;
  step?: string;
  maxLength?: number;
  /** What a new resource's form starts with (the field's default). */
  defaultValue: string;
}

function finite(n: unknown): number | undefined {
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The inputs of `def`'s form, in the registry's order, derived from its field schemas. */
export function resourceFormFields(def: ResourceDefinition): ResourceFormField[] {
  return fieldEntries(def).map(([key, field]) => {
    const { base, omittable, defaultValue } = shapeOf(field);
    const ui = def.ui[key];
    const common = { name: key, label: ui.label, hint: ui.hint, placeholder: ui.placeholder, required: !omittable, defaultValue: defaultValue === undefined ? "" : String(defaultValue) };
    const target = def.references[key];
    if (target) return { ...common, kind: "reference", referenceType: target, maxLength: 100 };
    if (key === def.workspaceField) return { ...common, kind: "workspace", maxLength: 64 };
    if (base instanceof z.ZodEnum) return { ...common, kind: "select", options: base.options.map(String) };
    if (base instanceof z.ZodNumber) {
      return { ...common, kind: "number", min: finite(base.minValue), max: finite(base.maxValue), step: base.isInt ? "1" : "any" };
    }
    const limits = base instanceof z.ZodString || base instanceof z.ZodStringFormat ? { maxLength: finite(base.maxLength) } : {};
    if (ui.multiline) return { ...common, ...limits, kind: "textarea" };
    return { ...common, ...limits, kind: base instanceof z.ZodURL ? "url" : "text" };
  });
}

/** `?limit=&cursor=` of a list route: strings from the query, checked here (a bad value is a 400, never a 500). */
export const resourceListQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "Use a whole number from 1 to 100.")
    .transform(Number)
    .pipe(z.number().int().min(1, "Use a whole number from 1 to 100.").max(100, "Use a whole number from 1 to 100."))
    .optional(),
  cursor: z.string().min(1, "Leave the cursor out for the first page.").max(200, "Use the next_cursor of the previous page.").optional(),
});

export interface ResourceApiSchemas {
  /** One resource as the API answers it. */
  item: z.ZodType;
  /** A page: `{ data, next_cursor }`. */
  list: z.ZodType;
  /** POST body: name and fields (JSON types, unknown keys refused). */
  create: z.ZodType<Record<string, unknown>>;
  /** PATCH body: a merge patch (keys left out stay, `null` clears a field). */
  update: z.ZodType<Record<string, unknown>>;
}

const apiSchemas = new Map<string, ResourceApiSchemas>();

/**
 * The REST request and response schemas of `def`'s routes, for the route
 * handlers and the OpenAPI document (component ids `Prop`, `PropList`,
 * `PropCreate`, `PropUpdate`, …). Built once per type: zod's registry refuses
 * a second schema with the same id.
 */
export function resourceApiSchemas(def: ResourceDefinition): ResourceApiSchemas {
  const cached = apiSchemas.get(def.type);
  if (cached) return cached;
  const entries = fieldEntries(def);
  const itemShape: Record<string, z.ZodType> = {
    id: z.string().meta({ description: "Opaque identifier." }),
    type: z.literal(def.type),
    name: z.string(),
  };
  for (const [key, field] of entries) itemShape[key] = shapeOf(field).base.nullable().meta({ description: def.ui[key].hint ?? def.ui[key].label });
  itemShape.created_at = z.iso.datetime();
  itemShape.updated_at = z.iso.datetime();
  const item = z.object(itemShape).meta({ id: def.label.replace(/\s+/g, ""), description: def.description });

  const createShape: Record<string, z.ZodType> = { name: RESOURCE_NAME_SCHEMA };
  const updateShape: Record<string, z.ZodType> = { name: RESOURCE_NAME_SCHEMA.optional() };
  for (const [key, field] of entries) {
    const { base, omittable } = shapeOf(field);
    createShape[key] = omittable ? field.nullable() : field;
    updateShape[key] = base.nullable().optional();
  }
  const id = def.label.replace(/\s+/g, "");
  const schemas: ResourceApiSchemas = {
    item,
    list: z.object({ data: z.array(item), next_cursor: z.string().nullable() }).meta({ id: `${id}List` }),
    create: z.strictObject(createShape).meta({ id: `${id}Create` }),
    update: z.strictObject(updateShape).meta({ id: `${id}Update` }),
  };
  apiSchemas.set(def.type, schemas);
  return schemas;
}
