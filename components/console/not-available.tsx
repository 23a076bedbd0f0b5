import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";

/** An honest placeholder for console areas that are not built yet: no fake data. */
export function NotAvailableYet({ title, description, planned }: { title: string; description: string; planned: string[] }) {
  return (
    <>
      <PageHeader title={title} description={description} actions={<Badge tone="warning">Not available yet</Badge>} />
      <Card>
        <div className="px-6 py-10 sm:px-10">
          <h2 className="text-base font-semibold">This area is not available yet</h2>
          <p className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            It is planned for an upcoming release of Gatehouse. Nothing here is simulated: when it ships, it will work on your real data.
          </p>
          <h3 className="mt-6 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">What it will cover</h3>
          <ul className="mt-2 grid gap-2 sm:grid-cols-2">
            {planned.map((p) => (
              <li key={p} className="flex gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                <span aria-hidden className="mt-2 size-1.5 shrink-0 rounded-full bg-brand-500" />
                {p}
              </li>
            ))}
          </ul>
        </div>
      </Card>
    </>
  );
}
