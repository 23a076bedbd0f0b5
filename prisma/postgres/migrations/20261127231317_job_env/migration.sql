-- CreateTable
CREATE TABLE "JobEnvVar" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "propId" TEXT,
    "targetKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "JobEnvVar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecretRotationNotice" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "secretId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecretRotationNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobEnvVar_propId_idx" ON "JobEnvVar"("propId");

-- CreateIndex
CREATE UNIQUE INDEX "JobEnvVar_organizationId_targetKey_name_key" ON "JobEnvVar"("organizationId", "targetKey", "name");

-- CreateIndex
CREATE INDEX "SecretRotationNotice_organizationId_createdAt_idx" ON "SecretRotationNotice"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SecretRotationNotice_secretId_dueAt_state_key" ON "SecretRotationNotice"("secretId", "dueAt", "state");

-- AddForeignKey
ALTER TABLE "JobEnvVar" ADD CONSTRAINT "JobEnvVar_propId_fkey" FOREIGN KEY ("propId") REFERENCES "PlatformResource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecretRotationNotice" ADD CONSTRAINT "SecretRotationNotice_secretId_fkey" FOREIGN KEY ("secretId") REFERENCES "Secret"("id") ON DELETE CASCADE ON UPDATE CASCADE;
