// trunk post_build hook: minify the wasm-bindgen JS glue in the staging folder.
// (trunk's own JS minifier cannot parse the glue's `export default`.) Subresource
// integrity is off in Trunk.toml, since this changes the file after trunk hashed it;
// the files are same-origin and the service worker pins their versions.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run through trunk");
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
  const path = join(dir, name);
  const source = readFileSync(path, "utf8");
  const { code } = transformSync(source, { minify: true, format: "esm", target: "es2020" });
  writeFileSync(path, code);
  console.log(`minified ${name}: ${source.length} -> ${code.length} bytes`);
}
