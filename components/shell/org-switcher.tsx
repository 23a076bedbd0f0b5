"use client";
import { useTransition } from "react";
import { switchOrganizationAction } from "@/app/(console)/actions";

export interface OrgOption {
  id: string;
  name: string;
  roleLabel: string;
}

export function OrgSwitcher({ current, orgs, roleLabel }: { current: { id: string; name: string }; orgs: OrgOption[]; roleLabel: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <div className="rounded-lg bg-zinc-50 p-2.5 ring-1 ring-zinc-200 dark:bg-zinc-800/60 dark:ring-zinc-700">
      <label htmlFor="org-switcher" className="block px-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
        Organization
      </label>
      {orgs.length > 1 ? (
        <select
          id="org-switcher"
          value={current.id}
          disabled={pending}
          onChange={(e) => {
            const data = new FormData();
            data.set("orgId", e.target.value);
            startTransition(async () => {
              await switchOrganizationAction(null, data);
              window.location.assign("/overview");
            });
          }}
          className="mt-1 block w-full rounded-md border-0 bg-white py-1.5 pr-8 pl-2 text-sm font-medium ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-brand-500 dark:bg-zinc-900 dark:ring-zinc-700"
        >
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({o.roleLabel})
            </option>
          ))}
        </select>
      ) : (
        <p id="org-switcher" className="mt-1 truncate px-1 text-sm font-semibold">
          {current.name}
        </p>
      )}
      <p className="mt-1 px-1 text-xs text-zinc-500 dark:text-zinc-400">
        Your role: <span className="font-medium text-zinc-700 dark:text-zinc-200">{roleLabel}</span>
      </p>
    </div>
  );
}
