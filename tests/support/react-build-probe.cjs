// Preloaded (`--require`) into a portal process by a test: when the process exits, it writes to
// stderr which of React's builds ran in it (modules that were executed, not only looked at for
// their exports), as `react builds: [...]`.
const Module = require("node:module");

process.on("exit", () => {
  const ran = Object.entries(Module._cache)
    .filter(([file, module]) => module.loaded && /\/node_modules\/react(-dom)?\/cjs\//.test(file))
    .map(([file]) => file.replace(/^.*\/node_modules\//, ""));
  process.stderr.write(`react builds: ${JSON.stringify(ran)}\n`);
});
