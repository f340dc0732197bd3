import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, discover } from "./discovery.js";

test("npm's launchers are saved as typed", () => {
  assert.deepEqual(decide(["node", "/usr/lib/node_modules/npm/bin/npx-cli.js", "jest", "--watch"]), ["npx", "jest", "--watch"]);
  assert.deepEqual(decide(["/usr/bin/node", "/opt/node/lib/node_modules/npm/bin/npm-cli.js", "run", "dev"]), ["npm", "run", "dev"]);
  assert.deepEqual(decide(["node", "--inspect", "/home/u/.cache/node/corepack/pnpm/9.0.0/dist/pnpm.cjs", "i"]), ["pnpm", "i"]);
  assert.deepEqual(decide(["node", "/usr/lib/node_modules/corepack/dist/pnpm.js", "test"]), ["pnpm", "test"]);
});

test("a package bin from node_modules/.bin goes through npx", () => {
  assert.deepEqual(decide(["node", "/app/node_modules/.bin/vite", "--port", "3000"]), ["npx", "vite", "--port", "3000"]);
});

test("other commands are kept", () => {
  assert.equal(decide(["node", "server.js"]), null);
  assert.equal(decide(["node"]), null);
  assert.equal(decide(["htop"]), null);
  assert.deepEqual(discover.discover({ argv: ["vim"], originalArgv: ["vim"], paneId: 1, pid: 2 }), { tag: "keep" });
  assert.deepEqual(discover.discover({ argv: ["node", "/x/npm/bin/npx-cli.js", "tsc"], paneId: 1, pid: 2 }), {
    tag: "rewrite",
    val: { argv: ["npx", "tsc"], cwd: undefined, env: undefined },
  });
});
