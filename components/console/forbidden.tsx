import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export function Forbidden({ title, roleLabel }: { title: string; roleLabel: string }) {
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <div className="px-6 py-10 text-center">
          <p className="text-sm font-semibold">You do not have access to this page</p>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            Your role ({roleLabel}) does not include it. Ask an owner or admin if you need access.
          </p>
        </div>
      </Card>
    </>
  );
}
