"use client";
import { SignOutButton } from "./sign-out-button";

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase())
    .join("");
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <details className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-full p-0.5 pr-2 hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
        aria-label={`Account menu for ${name}`}
      >
        <span className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white">{initials(name) || "?"}</span>
        <span className="hidden text-sm font-medium sm:inline">{name}</span>
      </summary>
      <div className="absolute right-0 z-50 mt-2 w-64 rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-700">
        <div className="border-b border-zinc-100 px-3 py-2.5 dark:border-zinc-800">
          <p className="truncate text-sm font-medium">{name}</p>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{email}</p>
        </div>
        <a href="/sessions" className="block rounded-md px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Your sessions
        </a>
        <a href="/security" className="block rounded-md px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Security settings
        </a>
        <SignOutButton className="block w-full rounded-md px-3 py-2 text-left text-sm text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50" />
      </div>
    </details>
  );
}
