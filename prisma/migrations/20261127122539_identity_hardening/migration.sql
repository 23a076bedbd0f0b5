-- Identity hardening: public session handles, rate-limit buckets that decay and
-- count consecutive failures, known devices, and first-run setup tokens.
-- CreateTable
CREATE TABLE "KnownDevice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "KnownDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SetupToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RateLimitBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "strikes" INTEGER NOT NULL DEFAULT 0,
    "consecutive" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "lastFailureAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_RateLimitBucket" ("count", "key", "lockedUntil", "strikes", "updatedAt", "windowStart") SELECT "count", "key", "lockedUntil", "strikes", "updatedAt", "windowStart" FROM "RateLimitBucket";
DROP TABLE "RateLimitBucket";
ALTER TABLE "new_RateLimitBucket" RENAME TO "RateLimitBucket";
CREATE INDEX "RateLimitBucket_updatedAt_idx" ON "RateLimitBucket"("updatedAt");
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "publicId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "activeOrgId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "idleExpiresAt" DATETIME NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "deviceLabel" TEXT NOT NULL,
    "trustState" TEXT NOT NULL,
    "trustReason" TEXT NOT NULL,
    "trustChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trustFactor" TEXT,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Existing sessions get a random public handle.
INSERT INTO "new_Session" ("publicId", "activeOrgId", "createdAt", "deviceLabel", "expiresAt", "id", "idleExpiresAt", "ip", "lastSeenAt", "trustChangedAt", "trustFactor", "trustReason", "trustState", "userAgent", "userId") SELECT "publicId", "activeOrgId", "createdAt", "deviceLabel", "expiresAt", "id", "idleExpiresAt", "ip", "lastSeenAt", "trustChangedAt", "trustFactor", "trustReason", "trustState", "userAgent", "userId" FROM (SELECT lower(hex(randomblob(16))) AS "publicId", * FROM "Session");
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_publicId_key" ON "Session"("publicId");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "KnownDevice_userId_tokenHash_key" ON "KnownDevice"("userId", "tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "SetupToken_tokenHash_key" ON "SetupToken"("tokenHash");
