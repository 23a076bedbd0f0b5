-- CreateTable
CREATE TABLE "AuditRetention" (
    "organizationId" TEXT NOT NULL PRIMARY KEY,
    "retentionDays" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateTable
CREATE TABLE "AuditArchive" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chain" TEXT NOT NULL,
    "organizationId" TEXT,
    "fromSeq" INTEGER NOT NULL,
    "cutSeq" INTEGER NOT NULL,
    "headHash" TEXT NOT NULL,
    "cutOccurredAt" DATETIME NOT NULL,
    "eventCount" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AuditMaintenanceRun" (
    "organizationId" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "completedAt" DATETIME,

    PRIMARY KEY ("organizationId", "task", "day")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditArchive_chain_cutSeq_key" ON "AuditArchive"("chain", "cutSeq");

-- Retention (hand-written: Prisma does not model triggers). Audit events stay
-- append-only, with one exception: an event at or below a recorded archive cut
-- of its chain may be deleted (lib/server/audit/prune-audit-events.ts writes
-- the archive file, then the AuditArchive row, then deletes, in one transaction).
DROP TRIGGER "AuditEvent_no_delete";
CREATE TRIGGER "AuditEvent_no_delete"
BEFORE DELETE ON "AuditEvent"
WHEN NOT EXISTS (SELECT 1 FROM "AuditArchive" a WHERE a."chain" = OLD."chain" AND a."cutSeq" >= OLD."seq")
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- A cut names an existing event by its hash, moves forward, and keeps the
-- chain's head (the next event links to it, so a chain is never emptied).
CREATE TRIGGER "AuditArchive_check_cut"
BEFORE INSERT ON "AuditArchive"
WHEN NOT EXISTS (SELECT 1 FROM "AuditEvent" e WHERE e."chain" = NEW."chain" AND e."seq" = NEW."cutSeq" AND e."hash" = NEW."headHash")
  OR NOT EXISTS (SELECT 1 FROM "AuditEvent" e WHERE e."chain" = NEW."chain" AND e."seq" > NEW."cutSeq")
  OR EXISTS (SELECT 1 FROM "AuditArchive" a WHERE a."chain" = NEW."chain" AND a."cutSeq" >= NEW."cutSeq")
BEGIN
    SELECT RAISE(ABORT, 'an audit archive cuts at an existing event below the head, after the previous cut');
END;

CREATE TRIGGER "AuditArchive_no_update"
BEFORE UPDATE ON "AuditArchive"
BEGIN
    SELECT RAISE(ABORT, 'audit archives are append-only');
END;

CREATE TRIGGER "AuditArchive_no_delete"
BEFORE DELETE ON "AuditArchive"
BEGIN
    SELECT RAISE(ABORT, 'audit archives are append-only');
END;
