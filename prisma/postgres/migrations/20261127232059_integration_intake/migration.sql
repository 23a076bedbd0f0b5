-- CreateTable
CREATE TABLE "IntegrationIntake" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "secretRotatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAcceptedAt" TIMESTAMP(3),
    "lastDeniedAt" TIMESTAMP(3),
    "deniedWindowStart" TIMESTAMP(3),
    "deniedAudited" INTEGER NOT NULL DEFAULT 0,
    "deniedSuppressed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "IntegrationIntake_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationReceipt" (
    "id" TEXT NOT NULL,
    "intakeId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "repository" TEXT,
    "propId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntegrationReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationIntake_organizationId_provider_key" ON "IntegrationIntake"("organizationId", "provider");

-- CreateIndex
CREATE INDEX "IntegrationReceipt_intakeId_receivedAt_idx" ON "IntegrationReceipt"("intakeId", "receivedAt");

-- CreateIndex
CREATE INDEX "IntegrationReceipt_expiresAt_idx" ON "IntegrationReceipt"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationReceipt_intakeId_deliveryId_key" ON "IntegrationReceipt"("intakeId", "deliveryId");
