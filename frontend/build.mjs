// Copies the browser assets Warmpath serves from the pinned npm packages into static/dist/
// (git-ignored; whitenoise serves it). Run by scripts/install through `npm run build`.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "static", "dist");
const assets = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "chart.umd.js": "node_modules/chart.js/dist/chart.umd.js",
  // chart.umd.js names its source map; the hashed static files (production) must find it.
  "chart.umd.js.map": "node_modules/chart.js/dist/chart.umd.js.map",
};

mkdirSync(out, { recursive: true });
for (const [name, source] of Object.entries(assets)) {
  copyFileSync(join(here, source), join(out, name));
}
