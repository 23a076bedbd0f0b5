import type { ResourceDefinition } from "@/lib/resources/registry";

/** What API keys and webhooks do with a type: the scopes that reach it, its REST routes and its events. */
export function TypeUsage({ def }: { def: ResourceDefinition }) {
  const verbs = def.hasDeleteScope ? ["read", "write", "delete"] : ["read", "write"];
  const code = "rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.8em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
  return (
    <ul className="mx-auto mt-3 max-w-lg space-y-1.5 text-left text-sm text-zinc-600 dark:text-zinc-400">
      <li>
        <span className="font-medium text-zinc-800 dark:text-zinc-200">API keys</span> with{" "}
        {verbs.map((v, i) => (
          <span key={v}>
            {i > 0 && (i === verbs.length - 1 ? " or " : ", ")}
            <code className={code}>{`${def.scopeFamily}:${v}`}</code>
          </span>
        ))}{" "}
        reach them at <code className={code}>/api/v1/{def.plural}</code>; a key can be restricted to chosen {def.labelPlural.toLowerCase()}.
      </li>
      <li>
        <span className="font-medium text-zinc-800 dark:text-zinc-200">Webhooks</span> subscribed to {def.eventFamily} events receive{" "}
        <code className={code}>{def.type}.created</code>, <code className={code}>{def.type}.updated</code> and <code className={code}>{def.type}.deleted</code>.
      </li>
      <li>
        <span className="font-medium text-zinc-800 dark:text-zinc-200">Every change</span> is recorded in the audit log.
      </li>
    </ul>
  );
}
