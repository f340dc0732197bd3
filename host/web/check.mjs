// Static checks for the web page, no dependencies: `node host/web/check.mjs`.
// The server's CSP allows no inline script, so the page must not need any.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const read = (f) => readFileSync(join(dir, f), 'utf8');
let failed = 0, passed = 0;
const check = (ok, what) => { if (ok) passed++; else { failed++; console.error(`FAIL: ${what}`); } };

const html = read('index.html');
const tags = html.match(/<[a-zA-Z][^>]*>/g) || [];

for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  check(/\bsrc\s*=/.test(m[1]), `<script> without src: ${m[0].slice(0, 60)}`);
  check(m[2].trim() === '', `<script> with inline content: ${m[0].slice(0, 60)}`);
}
for (const t of tags) check(!/\son[a-z]+\s*=/i.test(t), `inline event handler: ${t}`);
check(!/javascript:/i.test(html), 'javascript: URL in index.html');

// Every /assets/NAME must be one of our files or a vendored one (the server serves both flat).
const assetFile = (name) => [name, join('vendor', name)].find((f) => existsSync(join(dir, f)));
const assets = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]);
for (const name of ['xterm.css', 'app.css', 'xterm.js', 'addon-fit.js', 'addon-web-links.js', 'app.js', 'manifest.webmanifest']) {
  check(assets.includes(name), `index.html does not load /assets/${name}`);
}
for (const name of assets) check(assetFile(name), `missing file for /assets/${name}`);
const order = ['xterm.js', 'addon-fit.js', 'addon-web-links.js', 'app.js'].map((n) => html.indexOf(`/assets/${n}`));
check(order.every((v, i) => i === 0 || v > order[i - 1]), 'scripts out of order (xterm, addons, app)');
check(/<meta name="viewport" content="width=device-width, initial-scale=1">/.test(html), 'viewport meta');

for (const id of ['login-form', 'token', 'login-error', 'sessions', 'new-form', 'new-name', 'new-layout', 'terminal', 'status', 'back']) {
  check(new RegExp(`\\sid="${id}"`).test(html), `index.html lacks #${id}`);
}

const manifest = JSON.parse(read('manifest.webmanifest'));
check(manifest.name === 'Revenant' && manifest.display === 'standalone', 'manifest name/display');
for (const icon of manifest.icons || []) {
  check(icon.src.startsWith('/assets/') && assetFile(icon.src.slice('/assets/'.length)), `manifest icon ${icon.src}`);
}

const app = read('app.js');
try { execFileSync(process.execPath, ['--check', join(dir, 'app.js')], { stdio: 'pipe' }); passed++; } catch (e) {
  failed++; console.error(`FAIL: app.js syntax\n${e.stderr}`);
}
check(!/\beval\s*\(|new Function\b|\.innerHTML\b|document\.write\b/.test(app), 'app.js uses eval/Function/innerHTML/document.write');

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
