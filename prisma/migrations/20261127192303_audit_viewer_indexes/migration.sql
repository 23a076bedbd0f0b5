-- DropIndex
DROP INDEX "AuditEvent_organizationId_occurredAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_occurredAt_id_idx" ON "AuditEvent"("organizationId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_actorId_occurredAt_id_idx" ON "AuditEvent"("organizationId", "actorId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_action_occurredAt_id_idx" ON "AuditEvent"("organizationId", "action", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_resourceType_resourceId_occurredAt_id_idx" ON "AuditEvent"("organizationId", "resourceType", "resourceId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_outcome_occurredAt_id_idx" ON "AuditEvent"("organizationId", "outcome", "occurredAt", "id");
