import "server-only";

export { computeAuditHash, GENESIS_HASH, GLOBAL_CHAIN, type HashedAuditFields } from "@/lib/audit-hash";
