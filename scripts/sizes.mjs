// Prints what the built bundle weighs: each file raw, gzip and brotli, and the total of what the first
// page load fetches. Usage: node scripts/sizes.mjs <DIST>
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(wasm|js|css|html|svg|pack)$/.test(name)) files.push(path);
  }
})(dist);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
const rows = files.map((path) => {
  const bytes = readFileSync(path);
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { name: relative(dist, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const width = Math.max(5, ...rows.map((r) => r.name.length));
console.log(`\nBundle size (${dist}):`);
console.log(`${'file'.padEnd(width)} ${'raw'.padStart(11)} ${'gzip'.padStart(11)} ${'brotli'.padStart(11)}`);
for (const r of rows) console.log(`${r.name.padEnd(width)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
console.log(`${'total'.padEnd(width)} ${kb(total.raw)} ${kb(total.gzip)} ${kb(total.brotli)}\n`);
