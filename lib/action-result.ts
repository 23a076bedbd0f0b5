/** What every server action returns; expected failures are values, not exceptions. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      code: string;
      message: string;
      fieldErrors?: Record<string, string[]>;
      /** Non-secret submitted values, so a form can keep what the user typed. */
      values?: Record<string, string>;
    };

const SECRET_FIELD = /password|secret|token|code/i;

/** The submitted values that may be echoed back: strings only, never secret fields. */
export function echoableValues(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$") && !SECRET_FIELD.test(key)) out[key] = value;
  }
  return out;
}

export type ActionState<T = undefined> = ActionResult<T> | null;
