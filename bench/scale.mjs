// Split packs at scale (issue #14): generated corpora of the given sizes packed with
// `sorot pack --split`, with the build time, the packer's peak memory, the number of pieces and the
// entry file's size. No browser. Used by bench/run.sh --split-scale N,N,…; writes
// bench/results/split-scale.{md,json}.
//
//   node bench/scale.mjs 100000,1000000
//
// The generated JSON Lines (sorot-bench --write-jsonl, the benchmark's generator) are kept under
// target/bench/corpora/ and made again only when missing; the split packs go to target/bench/split-N/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const WORK = join(ROOT, 'target/bench');
const BIN = process.env.SOROT_BIN_DIR ?? join(ROOT, 'target/release');
const log = (...a) => console.error('[bench]', ...a);

const sizes = (process.argv[2] ?? '').split(',').map((s) => Number(s.trim()));
if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
  console.error('usage: node bench/scale.mjs N,N,… (article counts, each at least 1000), e.g. 100000,1000000');
  process.exit(1);
}

function run(name, args) {
  const t0 = performance.now();
  const r = spawnSync(join(BIN, name), args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${name} ${args.join(' ')} failed (${r.error?.message ?? `exit status ${r.status ?? r.signal}`}):\n${r.stderr}`);
  return { out: `${r.stderr}${r.stdout}`, ms: performance.now() - t0 };
}

const rows = [];
mkdirSync(join(WORK, 'corpora'), { recursive: true });
for (const n of sizes) {
  const jsonl = join(WORK, 'corpora', `articles-${n}.jsonl`);
  if (!existsSync(jsonl)) {
    log(`generating ${n.toLocaleString('en-US')} articles`);
    run('sorot-bench', ['--write-jsonl', jsonl, '--sizes', String(n)]);
  }
  const dir = join(WORK, `split-${n}`);
  rmSync(dir, { recursive: true, force: true });
  log(`sorot pack --split: ${n.toLocaleString('en-US')} articles`);
  const { out, ms } = run('sorot', ['pack', jsonl, '--split', dir]);
  const m = out.match(/(\d+) pieces \((\d+) bytes, entry (\d+) bytes\) in [\d.]+ s(?:, peak memory (\d+) MB)?/);
  if (!m) throw new Error(`sorot pack printed no summary:\n${out}`);
  const row = {
    articles: n,
    inputBytes: statSync(jsonl).size,
    buildMs: ms,
    peakMB: m[4] ? Number(m[4]) : null,
    pieces: Number(m[1]),
    bytes: Number(m[2]),
    entryBytes: Number(m[3]),
  };
  log(`  ${(ms / 1000).toFixed(1)} s, peak ${row.peakMB ?? '?'} MB, ${row.pieces} pieces, entry ${(row.entryBytes / 1000).toFixed(1)} kB`);
  rows.push(row);
  rmSync(dir, { recursive: true, force: true });
}

const mb = (b) => (b / 1e6).toFixed(1);
const lines = [
  '# Split packs at scale',
  '',
  `Generated corpora (\`sorot-bench --write-jsonl\`: sentences of the NER data recombined), packed with \`sorot pack --split\` (entity tagging included) on ${new Date().toISOString().slice(0, 10)}. Issue #14's targets: 1M articles in at most 2 GB of memory, and an entry that opens as fast as the 21k one.`,
  '',
  '| articles | input MB | build s | peak memory MB | pieces | split pack MB | entry kB |',
  '|--:|--:|--:|--:|--:|--:|--:|',
  ...rows.map((r) => `| ${r.articles.toLocaleString('en-US')} | ${mb(r.inputBytes)} | ${(r.buildMs / 1000).toFixed(1)} | ${r.peakMB ?? '—'} | ${r.pieces.toLocaleString('en-US')} | ${mb(r.bytes)} | ${(r.entryBytes / 1000).toFixed(1)} |`),
  '',
];
mkdirSync(join(BENCH, 'results'), { recursive: true });
writeFileSync(join(BENCH, 'results/split-scale.json'), JSON.stringify(rows, null, 1) + '\n');
writeFileSync(join(BENCH, 'results/split-scale.md'), lines.join('\n'));
console.log(lines.join('\n'));
