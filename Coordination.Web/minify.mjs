// Minifies the front end's scripts for serving (run by the csproj before every build, and by hand after editing a
// script while the web host runs): wwwroot/**/*.js → wwwroot/_min/<same path>, with esbuild (no bundling: the
// modules, their relative imports and new URL(…, import.meta.url) stay as they are, so StaticAssets still
// fingerprints every import). StaticAssets serves the minified copy while it is at least as new as the source, the
// source otherwise. wwwroot/lib (already minified) is left alone; copies whose source is gone are removed.
import { transform } from 'esbuild';
import { readdir, readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { join, relative, dirname } from 'node:path';

const root = new URL('./wwwroot/', import.meta.url).pathname;
const out = join(root, '_min');
const skip = new Set([join(root, 'lib'), out]);

/** Every .js file under a folder, but the skipped ones. */
async function scripts(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.has(path)) continue;
    if (entry.isDirectory()) found.push(...await scripts(path));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found;
}

const sources = await scripts(root);
let bytesIn = 0, bytesOut = 0;
await Promise.all(sources.map(async (path) => {
  const code = await readFile(path, 'utf8');
  const result = await transform(code, { loader: 'js', format: 'esm', target: 'es2022', minify: true, legalComments: 'none', sourcefile: relative(root, path) });
  const target = join(out, relative(root, path));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, result.code);
  bytesIn += code.length; bytesOut += result.code.length;
}));

// Copies whose source was removed or renamed.
const wanted = new Set(sources.map((p) => join(out, relative(root, p))));
async function prune(dir) {
  let entries;
  try { entries = await readdir(dir, { withFileTypes: true }); } catch { return; }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await prune(path);
    else if (entry.name.endsWith('.js') && !wanted.has(path)) await rm(path);
  }
}
await prune(out);
await writeFile(join(out, '.stamp'), '');
console.log(`Coordination.Web: minified ${sources.length} scripts, ${bytesIn} → ${bytesOut} characters`);
