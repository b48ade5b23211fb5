// Renames the JS glue's side of the boundary after `wasm-opt --minify-imports-and-exports-and-modules`
// gave the wasm's imports and exports one- or two-letter names: wasm-bindgen's names carry a
// 16-digit hash each, which gzip cannot shrink, in both files.
//
// Usage: node short-wasm-names.mjs MAP.json GLUE.js [SPLIT.js]
// MAP.json is what that wasm-opt pass prints: {"imports": [[module, name, short]], "exports": [[name, short]]}.
// SPLIT.js is the split loader (`__wasm_split.js`) when the wasm has lazy chunks: the main
// wasm imports its chunk loaders from it, and it reads the main wasm's exports by name.
// Fails, and leaves GLUE.js as it was, if an import is not found where wasm-bindgen puts it,
// or is still there afterwards.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [mapFile, glueFile, splitFile] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapFile, "utf8"));
let js = readFileSync(glueFile, "utf8");
let split = splitFile ? readFileSync(splitFile, "utf8") : null;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function replaceOnce(pattern, by, what) {
  const found = js.match(pattern) || [];
  if (found.length !== 1) throw new Error(`${what}: found ${found.length} times in the glue, not once`);
  js = js.replace(pattern, by);
}

// The pass puts every import in one module, "a". The glue's own imports are that module;
// the split loader's (its chunk loaders, `import1` in the glue) join it.
const GLUE_MODULE = `./${basename(glueFile, ".js")}_bg.js`;
const SPLIT_MODULE = "./__wasm_split.js";
const modules = [...new Set(map.imports.map(([module]) => module))];
const unknown = modules.filter((m) => m !== GLUE_MODULE && !(split && m === SPLIT_MODULE));
if (unknown.length) throw new Error(`unexpected import modules: ${unknown.join(", ")}`);
replaceOnce(new RegExp(`${escape(JSON.stringify(GLUE_MODULE))}:`, "g"), `"a":`, GLUE_MODULE);

// Imports are keys of the import object: `name: function(...)`.
const loaders = [];
for (const [module, name, short] of map.imports) {
  if (module === SPLIT_MODULE) loaders.push(`${JSON.stringify(short)}: import1.${name},`);
  else replaceOnce(new RegExp(`\\b${escape(name)}(?=:)`, "g"), JSON.stringify(short), name);
}
if (split) {
  replaceOnce(new RegExp(`\\s*${escape(JSON.stringify(SPLIT_MODULE))}: import1,`, "g"), "", SPLIT_MODULE);
  replaceOnce(/const import0 = \{\s*__proto__: null,/g, (m) => `${m}\n${loaders.join("\n")}`, "the glue's imports");
  // The loader takes memory, table and shared symbols from the main wasm's exports.
  const wanted = map.exports.filter(([name]) => new RegExp(`\\b${escape(name)}\\b`).test(split));
  const long = wanted.map(([name, short]) => `${name}: w[${JSON.stringify(short)}]`).join(", ");
  const init = "initSync(undefined, undefined)";
  if (split.split(init).length !== 2) throw new Error(`${init}: not found once in the split loader`);
  split = split.replace(init, `((w) => ({ ${long} }))(${init})`);
}
// Exports are read as `wasm.name`.
for (const [name, short] of map.exports) {
  js = js.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g"), `wasm[${JSON.stringify(short)}]`);
}

const left = map.imports.filter(([module, name]) => module !== SPLIT_MODULE && new RegExp(`\\b${escape(name)}\\b`).test(js));
if (left.length) throw new Error(`imports still in the glue under their old names: ${left.map(([, name]) => name).join(", ")}`);

writeFileSync(glueFile, js);
if (split) writeFileSync(splitFile, split);
