import "server-only";

/** A stored variable as lists and the API show it (the value is plain configuration, shown to those who may read Job ENV). */
export interface JobEnvVarView {
  id: string;
  name: string;
  value: string;
  propId: string | null;
  propName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function jobEnvVarJson(v: JobEnvVarView) {
  return {
    id: v.id,
    name: v.name,
    value: v.value,
    scope: v.propId ? "prop" : "organization",
    prop_id: v.propId,
    prop_name: v.propName,
    created_at: v.createdAt.toISOString(),
    updated_at: v.updatedAt.toISOString(),
  };
}
