import { Badge } from "@/components/ui/badge";

export function EndpointStatusBadge({ status }: { status: string }) {
  if (status === "active") return <Badge tone="success">Active</Badge>;
  if (status === "paused") return <Badge tone="neutral">Paused</Badge>;
  return <Badge tone="danger">Disabled</Badge>;
}

export function DeliveryStatusBadge({ status }: { status: string }) {
  if (status === "succeeded") return <Badge tone="success">Succeeded</Badge>;
  if (status === "pending") return <Badge tone="warning">Pending</Badge>;
  return <Badge tone="danger">Failed</Badge>;
}
