// Prisma CLI configuration (Prisma 7: the datasource URL lives here, not in
// schema.prisma). Run the CLI through `node scripts/prisma.mjs ...`, which
// supplies the offline schema engine.
//
// A relative SQLite path is resolved from the directory the CLI runs in, the
// repository root, which is also where the app resolves it at run time.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url: process.env.DATABASE_URL || "file:./data/gatehouse.db",
  },
});
