// trunk post_build hook: make the residents' download smaller in the staging folder.
//
// 1. Minify the wasm-bindgen JS glue (trunk's own JS minifier cannot parse the glue's
//    `export default`).
// 2. Shorten the names the WASM imports its JavaScript by. wasm-bindgen names each
//    import `__wbg_<method>_<16 hex digits>` under the module "./<crate>_bg.js"; the
//    names are written twice, in the WASM's import section and as keys of the glue's
//    imports object, and their hex digits do not compress (measured: 2.5 KB brotli of
//    the shell's WASM and 1 KB of its JS). Each becomes a short name in both files;
//    nothing else changes (exports keep their names, so the glue's other code is
//    untouched). binaryen's --minify-imports-and-exports-and-modules does the WASM
//    half but renames the exports too, which the glue reads by name everywhere.
//
// Subresource integrity is off in Trunk.toml, since this changes the files after trunk
// hashed them; the files are same-origin and the service worker pins their versions.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run through trunk");
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** Writes an unsigned LEB128. */
function toLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/** The bytes of an import's description from `at` (kind and type), to copy as they are. */
function descEnd(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0x00: // function: type index
      return leb(bytes, at)[1];
    case 0x01: // table: reference type, limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: value type, mutability
      return at + 2;
    case 0x04: // tag: attribute, type index
      return leb(bytes, at + 1)[1];
    default:
      throw new Error(`unknown import kind ${kind} at byte ${at - 1}`);
  }
}

/** Short names: a…z, A…Z, then two letters. */
function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = letters[i % 52] + name;
    i = Math.floor(i / 52) - 1;
  } while (i >= 0);
  return name;
}

/**
 * Renames the imports of the glue's module in `wasm` (the one whose names start
 * `__wbg_`) to short names under module `to`; answers the new bytes, the module's old
 * name and the map old name → new name.
 */
function shortenImports(wasm, to) {
  const text = new TextDecoder();
  const encode = (s) => {
    const b = new TextEncoder().encode(s);
    return [...toLeb(b.length), ...b];
  };
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    if (id !== 2) {
      at = body + size;
      continue;
    }
    const names = new Map();
    let [count, p] = leb(wasm, body);
    const imports = [];
    for (let i = 0; i < count; i++) {
      const [mlen, m0] = leb(wasm, p);
      const [nlen, n0] = leb(wasm, m0 + mlen);
      imports.push([text.decode(wasm.subarray(m0, m0 + mlen)), text.decode(wasm.subarray(n0, n0 + nlen))]);
      p = descEnd(wasm, n0 + nlen);
    }
    const from = imports.find(([, name]) => name.startsWith("__wbg_"))?.[0];
    [, p] = leb(wasm, body);
    const out = [...toLeb(count)];
    for (let i = 0; i < count; i++) {
      const [mlen, m0] = leb(wasm, p);
      const module = text.decode(wasm.subarray(m0, m0 + mlen));
      const [nlen, n0] = leb(wasm, m0 + mlen);
      const name = text.decode(wasm.subarray(n0, n0 + nlen));
      const d0 = n0 + nlen;
      const d1 = descEnd(wasm, d0);
      if (module === from) {
        const short = names.get(name) ?? shortName(names.size);
        names.set(name, short);
        out.push(...encode(to), ...encode(short));
      } else {
        out.push(...encode(module), ...encode(name));
      }
      out.push(...wasm.subarray(d0, d1));
      p = d1;
    }
    const section = [2, ...toLeb(out.length), ...out];
    const bytes = new Uint8Array([...wasm.subarray(0, at), ...section, ...wasm.subarray(body + size)]);
    return { bytes, from, names };
  }
  return { bytes: wasm, from: undefined, names: new Map() };
}

/** `text` with the characters a regular expression gives meaning to escaped. */
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
  const path = join(dir, name);
  const source = readFileSync(path, "utf8");
  let { code } = transformSync(source, { minify: true, format: "esm", target: "es2020" });
  const wasmName = name.replace(/\.js$/, "_bg.wasm");
  const wasmPath = join(dir, wasmName);
  let shortened = 0;
  if (readdirSync(dir).includes(wasmName)) {
    const { bytes, from, names } = shortenImports(readFileSync(wasmPath), "a");
    const moduleKey = `${JSON.stringify(from)}:`;
    if (!from || names.size === 0 || !code.includes(moduleKey)) {
      throw new Error(`${wasmName}: no wasm-bindgen imports found, or the glue has no key ${moduleKey}`);
    }
    for (const [long, short] of names) {
      const key = new RegExp(`(?<![\\w$])${literal(long)}(?=:)`, "g");
      const found = code.match(key)?.length ?? 0;
      if (found !== 1) throw new Error(`${name}: import ${long} is a key of the glue ${found} times, not once`);
      code = code.replace(key, short);
    }
    code = code.replace(moduleKey, "a:");
    if (/\b__wbg_\w+_[0-9a-f]{6,16}\b/.test(code)) throw new Error(`${name}: a long import name is left`);
    writeFileSync(wasmPath, bytes);
    shortened = names.size;
  }
  writeFileSync(path, code);
  console.log(`minified ${name}: ${source.length} -> ${code.length} bytes; ${shortened} imports shortened`);
}
