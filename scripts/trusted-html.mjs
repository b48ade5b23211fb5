// Every `innerHTML` the widget's wasm sets (the ☰ screens are markup; the rest of the widget
// is made element by element) goes through the widget's Trusted Types policy (widget/js/attention.js),
// so pages that send `require-trusted-types-for 'script'` accept them. Rewrites the one
// setter in wasm-bindgen's glue, and fails the build if the glue no longer has it.
import { readFileSync, writeFileSync } from "node:fs";

const [glue] = process.argv.slice(2);
const source = readFileSync(glue, "utf8");
const setter = /(\w+)\.innerHTML = (getStringFromWasm0\(\w+, \w+\));/g;
const found = source.match(setter) || [];
if (found.length !== 1) {
  console.error(`trusted-html: expected one innerHTML setter in ${glue}, found ${found.length}`);
  process.exit(1);
}
writeFileSync(glue, source.replace(setter, "confabSetHtml($1, $2);"));
