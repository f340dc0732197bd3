// A command-discovery plugin in JavaScript: the `command-discovery` world of
// wit/ (revenant:plugin@0.6.0), built into a component with componentize-js.
//
// A command started from a Node script shows up in /proc as `node` running
// the script: you typed `npx jest --watch`, the session sees
// `node /usr/lib/node_modules/npm/bin/npx-cli.js jest --watch`. Saved like
// that, it breaks when Node or npm moves. This plugin saves what you typed.

const LAUNCHERS = [
  // [the script's path ends with, what you typed]
  ["/npm/bin/npx-cli.js", ["npx"]],
  ["/npm/bin/npm-cli.js", ["npm"]],
  ["/corepack/dist/pnpm.js", ["pnpm"]],
  ["/pnpm/bin/pnpm.cjs", ["pnpm"]],
  ["/dist/pnpm.cjs", ["pnpm"]],
  ["/corepack/dist/yarn.js", ["yarn"]],
  ["/yarn/bin/yarn.js", ["yarn"]],
];

const basename = (path) => path.replace(/\/+$/, "").split("/").pop();

/** The argv to save instead of `argv`, or null to keep it. */
export function decide(argv) {
  if (argv.length < 2 || !/^node(js)?(\d+)?$/.test(basename(argv[0]))) return null;
  let i = 1;
  // Flags of node itself (`--inspect`, `--max-old-space-size=4096`).
  while (i < argv.length && argv[i].startsWith("-")) i++;
  const script = argv[i];
  if (script === undefined) return null;
  const rest = argv.slice(i + 1);
  for (const [suffix, typed] of LAUNCHERS) {
    if (script.endsWith(suffix)) return typed.concat(rest);
  }
  // A package's bin run straight from node_modules/.bin: `npx` finds it.
  const bin = script.match(/\/node_modules\/\.bin\/([^/]+)$/);
  if (bin) return ["npx", bin[1]].concat(rest);
  return null;
}

// The export the host calls. Records arrive with camelCase fields
// (`originalArgv`, `paneId`); a variant is `{ tag, val }`.
export const discover = {
  discover(command) {
    const argv = decide(command.argv);
    if (argv === null) return { tag: "keep" };
    return { tag: "rewrite", val: { argv, cwd: undefined, env: undefined } };
  },
};
