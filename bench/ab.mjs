// An A/B of two builds of the explorer on their split packs of the same corpus (bench/ab.sh makes
// them): each page load in a fresh context with the cold start's throttling, the two builds in
// alternation (A B, then B A, …), so that a slow minute of a shared machine weighs on both. Each load
// times navigation → ready and → searchable (the bench's probe), then the queries one after another.
// Prints the medians of each build and the difference; never fails on timing.
//
//   node bench/ab.mjs A_DIR B_DIR [--runs N] [--http 1.1|2] [--probe WORD] [--query Q …]
//
// A_DIR and B_DIR: an explorer build each, with the split pack at corpora/ab/entry.sorot. The probe
// and queries default to the cold start's on the dev file (seed 4242): `menhan`, then its first and
// five later queries.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/server.mjs';
import { benchCertificate, enterSorot, THROTTLE_TEXT, throttledContext } from './cold-start.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
const USAGE = 'usage: node bench/ab.mjs A_DIR B_DIR [--runs N] [--http 1.1|2] [--probe WORD] [--query Q …]';
const DEFAULT_QUERIES = ['candy polda', 'piala', 'laut sebut raja', 'apresiasi jate', 'potensi tinas', 'kerugian maskapainya'];

function options(args) {
  const dirs = [];
  const out = { runs: 6, http: '2', probe: 'menhan', queries: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${a} needs a value\n${USAGE}`);
      return args[++i];
    };
    if (a === '--runs') out.runs = Number(value());
    else if (a === '--http') out.http = value();
    else if (a === '--probe') out.probe = value();
    else if (a === '--query') out.queries.push(value());
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else dirs.push(a);
  }
  if (dirs.length !== 2) throw new Error(USAGE);
  if (!Number.isInteger(out.runs) || out.runs < 1) throw new Error(`--runs takes a whole number of page loads, at least 1\n${USAGE}`);
  if (out.http !== '1.1' && out.http !== '2') throw new Error(`--http is 1.1 or 2\n${USAGE}`);
  if (!out.queries.length) out.queries = DEFAULT_QUERIES;
  return { ...out, dirs };
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil(sorted.length / 2) - 1] : NaN;
};
const ms = (v) => (Number.isFinite(v) ? v.toFixed(0) : '—');

/** One page load of a build: ready, searchable, then each query's ms. */
async function load(browser, base, { probe, queries }, probeScript) {
  const { context, page } = await throttledContext(browser);
  try {
    await page.addInitScript({ content: `(${probeScript})(${JSON.stringify(probe)});` });
    await page.goto(`${base}index.html?pack=corpora/ab/entry.sorot`);
    await page.waitForFunction(() => window.__probe?.searchableAt !== null, null, { timeout: 120_000, polling: 50 });
    const run = await page.evaluate(() => ({ ready: window.__probe.readyAt, searchable: window.__probe.searchableAt }));
    // The probe's facets come after its results: let them in before the first query.
    await page.waitForFunction(() => !document.querySelector('.facets-pane[aria-busy="true"]'), null, { timeout: 60_000, polling: 50 });
    run.queries = [];
    for (const q of queries) {
      run.queries.push((await page.evaluate(enterSorot, q)).ms);
      await page.waitForTimeout(100); // the cold start's pause between queries
    }
    return run;
  } finally {
    await context.close();
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const probeScript = readFileSync(join(BENCH, 'page/ui-probe.js'), 'utf8').trim().replace(/;$/, '');
  const tls = o.http === '2' ? benchCertificate(join(ROOT, 'target/bench/tls')) : null;
  const builds = [];
  for (const [name, dir] of [['A', o.dirs[0]], ['B', o.dirs[1]]]) {
    const { server, url } = await serve(dir, { port: 0, compress: true, tls });
    builds.push({ name, dir, server, url, runs: [] });
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...(tls ? [`--ignore-certificate-errors-spki-list=${tls.spki}`] : [])],
  });
  console.log(`A/B over HTTP/${o.http}, ${THROTTLE_TEXT}; ${o.runs} page loads of each, alternating; probe \`${o.probe}\`, then ${o.queries.map((q) => `\`${q}\``).join(', ')}`);
  try {
    // One load of each first, not counted: the browser's own first-time work (its disk cache of
    // compiled code, fonts) would fall on whichever went first.
    for (const b of builds) await load(browser, b.url, o, probeScript);
    for (let i = 0; i < o.runs; i++) {
      for (const b of i % 2 ? [...builds].reverse() : builds) {
        const run = await load(browser, b.url, o, probeScript);
        b.runs.push(run);
        console.log(`  ${b.name} load ${i + 1}: ready ${ms(run.ready)}, searchable ${ms(run.searchable)}, queries ${run.queries.map(ms).join(' · ')}`);
      }
    }
  } finally {
    await browser.close();
    for (const b of builds) b.server.close();
  }
  const row = (b) => ({
    ready: median(b.runs.map((r) => r.ready)),
    searchable: median(b.runs.map((r) => r.searchable)),
    queries: o.queries.map((_, i) => median(b.runs.map((r) => r.queries[i]))),
    // Each load's median of the queries after the first, as the cold start's "later queries p50".
    later: median(b.runs.map((r) => median(r.queries.slice(1)))),
  });
  const [a, b] = builds.map(row);
  console.log(`\nmedians (A: ${o.dirs[0]}, B: ${o.dirs[1]})`);
  const line = (label, x, y) => console.log(`  ${label.padEnd(28)} ${ms(x).padStart(6)} → ${ms(y).padStart(6)} ms (${y - x >= 0 ? '+' : ''}${ms(y - x)})`);
  line('navigation → ready', a.ready, b.ready);
  line('navigation → searchable', a.searchable, b.searchable);
  o.queries.forEach((q, i) => line(q, a.queries[i], b.queries[i]));
  line('later queries p50', a.later, b.later);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`[ab] error: ${e.message}`);
    process.exit(1);
  },
);
