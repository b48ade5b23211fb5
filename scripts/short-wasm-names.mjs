// Renames the JS glue's side of the boundary after `wasm-opt --minify-imports-and-exports-and-modules`
// gave the wasm's imports and exports one- or two-letter names: wasm-bindgen's names carry a
// 16-digit hash each, which gzip cannot shrink, in both files.
//
// Usage: node short-wasm-names.mjs MAP.json GLUE.js
// MAP.json is what that wasm-opt pass prints: {"imports": [[module, name, short]], "exports": [[name, short]]}.
// Fails, and leaves GLUE.js as it was, if an import is not found where wasm-bindgen puts it,
// or is still there afterwards.
import { readFileSync, writeFileSync } from "node:fs";

const [mapFile, glueFile] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapFile, "utf8"));
let js = readFileSync(glueFile, "utf8");

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function replaceOnce(pattern, by, what) {
  const found = js.match(pattern) || [];
  if (found.length !== 1) throw new Error(`${what}: found ${found.length} times in the glue, not once`);
  js = js.replace(pattern, by);
}

// The pass puts every import in one module, "a": the glue must have only one.
const modules = [...new Set(map.imports.map(([module]) => module))];
if (modules.length !== 1) throw new Error(`one import module expected, not ${modules.join(", ")}`);
replaceOnce(new RegExp(`${escape(JSON.stringify(modules[0]))}:`, "g"), `"a":`, modules[0]);

// Imports are keys of the import object: `name: function(...)`.
for (const [, name, short] of map.imports) {
  replaceOnce(new RegExp(`\\b${escape(name)}(?=:)`, "g"), JSON.stringify(short), name);
}
// Exports are read as `wasm.name`.
for (const [name, short] of map.exports) {
  js = js.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g"), `wasm[${JSON.stringify(short)}]`);
}

const left = map.imports.filter(([, name]) => new RegExp(`\\b${escape(name)}\\b`).test(js));
if (left.length) throw new Error(`imports still in the glue under their old names: ${left.map(([, name]) => name).join(", ")}`);

writeFileSync(glueFile, js);
