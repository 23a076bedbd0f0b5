-- CreateTable
CREATE TABLE "AuditRetention" (
    "organizationId" TEXT NOT NULL,
    "retentionDays" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "AuditRetention_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "AuditArchive" (
    "id" TEXT NOT NULL,
    "chain" TEXT NOT NULL,
    "organizationId" TEXT,
    "fromSeq" INTEGER NOT NULL,
    "cutSeq" INTEGER NOT NULL,
    "headHash" TEXT NOT NULL,
    "cutOccurredAt" TIMESTAMP(3) NOT NULL,
    "eventCount" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditArchive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditMaintenanceRun" (
    "organizationId" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "AuditMaintenanceRun_pkey" PRIMARY KEY ("organizationId","task","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditArchive_chain_cutSeq_key" ON "AuditArchive"("chain", "cutSeq");

-- Retention (hand-written: Prisma does not model triggers). Audit events stay
-- append-only, with one exception: an event at or below a recorded archive cut
-- of its chain may be deleted (lib/server/audit/prune-audit-events.ts writes
-- the archive file, then the AuditArchive row, then deletes, in one transaction).
-- UPDATE and TRUNCATE stay refused by "gatehouse_audit_append_only".
CREATE FUNCTION "gatehouse_audit_delete_below_cut"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM "AuditArchive" a WHERE a."chain" = OLD."chain" AND a."cutSeq" >= OLD."seq") THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;

DROP TRIGGER "AuditEvent_no_delete" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "gatehouse_audit_delete_below_cut"();

-- A cut names an existing event by its hash, moves forward, and keeps the
-- chain's head (the next event links to it, so a chain is never emptied).
CREATE FUNCTION "gatehouse_audit_archive_check_cut"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM "AuditEvent" e WHERE e."chain" = NEW."chain" AND e."seq" = NEW."cutSeq" AND e."hash" = NEW."headHash")
       OR NOT EXISTS (SELECT 1 FROM "AuditEvent" e WHERE e."chain" = NEW."chain" AND e."seq" > NEW."cutSeq")
       OR EXISTS (SELECT 1 FROM "AuditArchive" a WHERE a."chain" = NEW."chain" AND a."cutSeq" >= NEW."cutSeq") THEN
        RAISE EXCEPTION 'an audit archive cuts at an existing event below the head, after the previous cut';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "AuditArchive_check_cut" BEFORE INSERT ON "AuditArchive"
    FOR EACH ROW EXECUTE FUNCTION "gatehouse_audit_archive_check_cut"();

CREATE FUNCTION "gatehouse_audit_archive_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit archives are append-only';
END;
$$;

CREATE TRIGGER "AuditArchive_no_update" BEFORE UPDATE ON "AuditArchive"
    FOR EACH ROW EXECUTE FUNCTION "gatehouse_audit_archive_append_only"();
CREATE TRIGGER "AuditArchive_no_delete" BEFORE DELETE ON "AuditArchive"
    FOR EACH ROW EXECUTE FUNCTION "gatehouse_audit_archive_append_only"();
CREATE TRIGGER "AuditArchive_no_truncate" BEFORE TRUNCATE ON "AuditArchive"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatehouse_audit_archive_append_only"();
