// A CPU profile of the local runtime's Worker, through workerd's V8 inspector, while
// something else puts load on it. Prints where the Worker's isolate spends its time: by
// function (self time, with the place in the bundled script) and by kind of code
// (Confab's wasm, the wasm-bindgen and worker-rs JavaScript around it, the runtime's own
// built-ins). With `npm run dev` running (its inspector is on port 9229):
//
//   node_modules/.bin/node scripts/profile.mjs 9229 10

const [port = "9229", seconds = "20"] = process.argv.slice(2);

const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
if (!target) throw new Error(`no inspector target on port ${port}`);
// The inspector accepts only connections that name an origin (as DevTools does).
const socket = new WebSocket(target.webSocketDebuggerUrl, {
  headers: { Origin: `http://127.0.0.1:${port}` },
});
await new Promise((resolve, reject) => {
  socket.onopen = resolve;
  socket.onerror = reject;
});

let next = 1;
const waiting = new Map();
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id && waiting.has(message.id)) {
    waiting.get(message.id)(message);
    waiting.delete(message.id);
  }
};
const call = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = next++;
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 60 s`)), 60_000);
    waiting.set(id, (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    socket.send(JSON.stringify({ id, method, params }));
  });
socket.onclose = (event) => console.error(`inspector closed: ${event.code} ${event.reason}`);

await call("Profiler.enable");
// Coarse enough that the profile fits in one inspector message.
await call("Profiler.setSamplingInterval", { interval: 1000 });
await call("Profiler.start");
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
const { result } = await call("Profiler.stop");
socket.close();

const { nodes, samples, timeDeltas } = result.profile;
const byId = new Map(nodes.map((node) => [node.id, node]));
const self = new Map();
samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));

const kind = (frame) => {
  const { url, functionName } = frame;
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "runtime (outside JavaScript)";
  if (url.startsWith("wasm://")) return "wasm (Confab, serde, worker-rs in Rust)";
  if (url.includes("shim") || url.includes("index.js")) return "JavaScript glue (wasm-bindgen, worker-rs)";
  if (url === "") return "runtime built-ins";
  return "other JavaScript";
};

const totals = new Map();
const functions = new Map();
let busy = 0;
for (const [id, micros] of self) {
  const frame = byId.get(id).callFrame;
  const k = kind(frame);
  totals.set(k, (totals.get(k) ?? 0) + micros);
  if (k !== "idle") busy += micros;
  const where = frame.url ? ` ${frame.url.split("/").pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : "";
  const name = `${frame.functionName || "(anonymous)"}${where}`;
  if (k !== "idle") functions.set(name, (functions.get(name) ?? 0) + micros);
}

const ms = (micros) => (micros / 1000).toFixed(0).padStart(7);
const share = (micros) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
console.log(`busy ${ms(busy)} ms of ${seconds} s sampled\n`);
console.log("by kind of code (self time, share of busy time)");
for (const [k, micros] of [...totals].sort((a, b) => b[1] - a[1])) {
  if (k !== "idle") console.log(`${ms(micros)} ms ${share(micros)}  ${k}`);
}
console.log("\ntop functions (self time)");
for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${ms(micros)} ms ${share(micros)}  ${name}`);
}
