export function Logo({ withName = true }: { withName?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2">
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="7" className="fill-brand-600" />
        <path d="M9 25V13l7-5 7 5v12h-5v-6h-4v6z" fill="#fff" />
      </svg>
      {withName && <span className="text-base font-semibold tracking-tight">Gatehouse</span>}
    </span>
  );
}
