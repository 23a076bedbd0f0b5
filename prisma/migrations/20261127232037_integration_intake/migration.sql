-- CreateTable
CREATE TABLE "IntegrationIntake" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "secretRotatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAcceptedAt" DATETIME,
    "lastDeniedAt" DATETIME,
    "deniedWindowStart" DATETIME,
    "deniedAudited" INTEGER NOT NULL DEFAULT 0,
    "deniedSuppressed" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "IntegrationReceipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "intakeId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "repository" TEXT,
    "propId" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationIntake_organizationId_provider_key" ON "IntegrationIntake"("organizationId", "provider");

-- CreateIndex
CREATE INDEX "IntegrationReceipt_intakeId_receivedAt_idx" ON "IntegrationReceipt"("intakeId", "receivedAt");

-- CreateIndex
CREATE INDEX "IntegrationReceipt_expiresAt_idx" ON "IntegrationReceipt"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationReceipt_intakeId_deliveryId_key" ON "IntegrationReceipt"("intakeId", "deliveryId");
