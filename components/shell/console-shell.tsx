"use client";
import { useEffect, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Logo } from "@/components/brand/logo";
import { cn } from "@/components/ui/cn";
import { Icon } from "./icon";
import { NAV_ITEMS } from "./nav-items";
import { OrgSwitcher, type OrgOption } from "./org-switcher";
import { UserMenu } from "./user-menu";
import { ThemeToggle } from "./theme-toggle";
import { SudoIndicator } from "./sudo-indicator";
import { TrustBanner } from "./trust-banner";
import { SudoMethodsContext } from "@/components/security/use-sudo-action";
import type { FactorMethod } from "@/lib/factor-methods";

interface ShellProps {
  user: { name: string; email: string };
  org: { id: string; name: string };
  roleLabel: string;
  orgs: OrgOption[];
  theme: "light" | "dark";
  /** The open sudo window: its end (identifies the grant) and the seconds left when the server rendered. */
  sudo: { expiresAt: string; secondsLeft: number } | null;
  untrustedReason: string | null;
  sudoMethods: FactorMethod[];
  children: React.ReactNode;
}

function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="space-y-0.5">
      {NAV_ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
              active
                ? "bg-brand-50 text-brand-700 dark:bg-brand-700/25 dark:text-brand-100"
                : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
            )}
          >
            <Icon name={item.icon} className="size-5 shrink-0" />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}

export function ConsoleShell({ user, org, roleLabel, orgs, theme, sudo, untrustedReason, sudoMethods, children }: ShellProps) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const sidebar = (
    <div className="flex h-full flex-col gap-5 px-3 py-4">
      <div className="px-2">
        <Link href="/overview" aria-label="Gatehouse overview">
          <Logo />
        </Link>
      </div>
      <OrgSwitcher current={org} orgs={orgs} roleLabel={roleLabel} />
      <div className="flex-1 overflow-y-auto">
        <Nav onNavigate={() => setOpen(false)} />
      </div>
    </div>
  );

  return (
    <div className="min-h-screen lg:flex">
      <aside className="hidden w-64 shrink-0 border-r border-zinc-200 bg-white lg:fixed lg:inset-y-0 lg:block dark:border-zinc-800 dark:bg-zinc-900">
        {sidebar}
      </aside>

      {open && (
        <div className="fixed inset-0 z-40 lg:hidden" role="dialog" aria-modal="true" aria-label="Navigation">
          <div className="absolute inset-0 bg-zinc-950/50" aria-hidden onClick={() => setOpen(false)} />
          <div className="absolute inset-y-0 left-0 w-72 max-w-[85%] bg-white shadow-xl dark:bg-zinc-900">
            <button
              type="button"
              autoFocus
              onClick={() => setOpen(false)}
              aria-label="Close navigation"
              className="absolute top-3 right-3 rounded-md p-2 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
                <path d="M6 6l12 12M18 6L6 18" strokeLinecap="round" />
              </svg>
            </button>
            {sidebar}
          </div>
        </div>
      )}

      <div className="flex min-w-0 flex-1 flex-col lg:pl-64">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur lg:px-8 dark:border-zinc-800 dark:bg-zinc-900/90">
          <button
            type="button"
            className="-ml-1 rounded-md p-2 text-zinc-700 hover:bg-zinc-100 lg:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
            aria-label="Open navigation"
            aria-expanded={open}
            onClick={() => setOpen(true)}
          >
            <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
              <path d="M4 6h16M4 12h16M4 18h16" strokeLinecap="round" />
            </svg>
          </button>
          <span className="truncate text-sm font-medium text-zinc-600 lg:hidden dark:text-zinc-300">{org.name}</span>
          <div className="ml-auto flex items-center gap-2">
            {sudo && <SudoIndicator key={sudo.expiresAt} secondsLeft={sudo.secondsLeft} />}
            <ThemeToggle initial={theme} />
            <UserMenu name={user.name} email={user.email} />
          </div>
        </header>
        {untrustedReason && <TrustBanner reason={untrustedReason} />}
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          <SudoMethodsContext value={sudoMethods}>{children}</SudoMethodsContext>
        </main>
      </div>
    </div>
  );
}
