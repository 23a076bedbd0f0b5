import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The interactive API docs (ENABLE_DOCS=true): swagger-ui-dist served from our
 * own origin under the nonce CSP. Nothing is copied into public/: the two dist
 * files are read from node_modules and our initializer is a constant, so the
 * page needs no inline script and calls nothing outside this origin
 * (validatorUrl: null stops swagger-ui from asking validator.swagger.io).
 */
const DIST = path.join(process.cwd(), "node_modules", "swagger-ui-dist");

const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
`;

const ASSETS: Record<string, { type: string; load: () => Promise<string> }> = {
  "swagger-ui.css": { type: "text/css; charset=utf-8", load: () => readFile(path.join(DIST, "swagger-ui.css"), "utf8") },
  "swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", load: () => readFile(path.join(DIST, "swagger-ui-bundle.js"), "utf8") },
  "init.js": { type: "text/javascript; charset=utf-8", load: async () => INITIALIZER },
};

export async function docsAsset(name: string): Promise<{ type: string; body: string } | null> {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  return asset ? { type: asset.type, body: await asset.load() } : null;
}

export function docsPage(nonce: string): string {
  const n = nonce.replace(/[^A-Za-z0-9+/=]/g, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse API docs</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script nonce="${n}" src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script nonce="${n}" src="/api/docs/assets/init.js"></script>
</body>
</html>
`;
}
