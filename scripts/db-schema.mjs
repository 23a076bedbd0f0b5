#!/usr/bin/env node
// One source of truth for the data model, two providers.
//
//   node scripts/db-schema.mjs          write prisma/postgres/schema.prisma
//   node scripts/db-schema.mjs --check  exit 1 when it differs from what would be written
//
// prisma/schema.prisma (SQLite, the embedded default) is the file people edit.
// Prisma's generated client is tied to its provider, so the PostgreSQL schema is
// derived from it: the same models with another datasource provider and another
// generator output. The models themselves use no native types or
// provider-specific defaults, so nothing else needs translating; the derivation
// refuses a source that does (a `@db.` attribute) rather than guessing.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = path.join(root, "prisma", "schema.prisma");
export const DERIVED = path.join(root, "prisma", "postgres", "schema.prisma");

const HEADER = [
  "// GENERATED from prisma/schema.prisma by `npm run db:schema`: do not edit.",
  "// Edit prisma/schema.prisma, then run `npm run db:schema` (part of db:generate);",
  "// `npm run db:schema -- --check` fails when this file has drifted.",
  "",
].join("\n");

/**
 * The PostgreSQL schema for a SQLite source schema.
 * @param {string} source
 * @returns {string}
 */
export function derivePostgresSchema(source) {
  if (/@db\./.test(source)) throw new Error("prisma/schema.prisma uses a native type (@db.*); keep the models portable");
  let providers = 0;
  let outputs = 0;
  const derived = source
    .replace(/(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, (_m, head) => {
      providers += 1;
      return `${head}"postgresql"`;
    })
    .replace(/(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/lib\/server\/db\/generated\/sqlite"/, (_m, head) => {
      outputs += 1;
      return `${head}"../../lib/server/db/generated/postgres"`;
    });
  if (providers !== 1) throw new Error('prisma/schema.prisma must declare `datasource db { provider = "sqlite" }`');
  if (outputs !== 1) throw new Error('prisma/schema.prisma must generate its client to "../lib/server/db/generated/sqlite"');
  return HEADER + derived;
}

function main() {
  const expected = derivePostgresSchema(readFileSync(SOURCE, "utf8"));
  const current = existsSync(DERIVED) ? readFileSync(DERIVED, "utf8") : null;
  if (process.argv.includes("--check")) {
    if (current !== expected) {
      console.error(
        "prisma/postgres/schema.prisma has drifted from prisma/schema.prisma.\n" +
          "Edit only prisma/schema.prisma, then run `npm run db:schema` and create the migrations for both providers (README: Development).",
      );
      process.exit(1);
    }
    console.log("prisma/postgres/schema.prisma matches prisma/schema.prisma");
    return;
  }
  if (current !== expected) {
    mkdirSync(path.dirname(DERIVED), { recursive: true });
    writeFileSync(DERIVED, expected);
    console.log("wrote prisma/postgres/schema.prisma");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
