// Builds the front end into src/powershift/static_build: our Sass over govuk-frontend,
// and the vendored browser files copied from node_modules (installed by `npm ci`).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src/powershift/static_build");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "powershift"), { recursive: true });

const css = sass.compile(join(root, "assets/scss/app.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions"],
});
writeFileSync(join(out, "powershift/app.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "vendor/govuk/govuk-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "vendor/htmx/htmx.min.js"],
  ["leaflet/dist/leaflet.js", "vendor/leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "vendor/leaflet/leaflet.css"],
  ["leaflet/dist/images", "vendor/leaflet/images"],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(join(nm, from), join(out, to), { recursive: true });
}
cpSync(join(root, "assets/js"), join(out, "powershift"), { recursive: true });
cpSync(join(root, "assets/images"), join(out, "powershift/images"), { recursive: true });
console.log(`front end built into ${out}`);
