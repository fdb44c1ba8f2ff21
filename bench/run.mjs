// The browser benchmark's runner (started by bench/run.sh, which builds what it needs first):
// corpora → packs → one headless Chromium → every library on every size → results/latest.{md,json}.
//
//   node bench/run.mjs [--sizes 1000,10000,20000,50000] [--quick] [--libraries sorot,lunr]
//
// It prints numbers and never fails on timing; a library that runs out of time or memory at some size
// gets a note in its cell instead of a number.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/server.mjs';
import { makeQueries, words } from './queries.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const WORK = join(ROOT, 'target/bench');
const DIST = join(ROOT, 'target/bench-dist');
const BIN = process.env.SOROT_BIN_DIR ?? join(ROOT, 'target/release');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LIBRARIES = ['sorot', 'minisearch', 'flexsearch', 'lunr', 'orama'];
const NAMES = { sorot: 'Sorot', minisearch: 'MiniSearch', flexsearch: 'FlexSearch', lunr: 'Lunr', orama: 'Orama' };
const BROTLI_QUALITY = 6;

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--sizes');
  const sizes = (at >= 0 ? argv[at + 1] ?? '' : quick ? '1000,10000' : '1000,10000,20000,50000')
    .split(',')
    .map((s) => Number(s.trim()));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
    throw new Error('--sizes takes a comma-separated list of article counts, each at least 1000 (e.g. 1000,10000)');
  }
  const only = argv.indexOf('--libraries');
  const libraries = only >= 0 ? (argv[only + 1] ?? '').split(',').map((s) => s.trim().toLowerCase()) : LIBRARIES;
  if (!libraries.length || libraries.some((l) => !LIBRARIES.includes(l))) {
    throw new Error(`--libraries takes a comma-separated list of ${LIBRARIES.join(', ')}`);
  }
  for (const a of argv) {
    if (a.startsWith('--') && !['--quick', '--sizes', '--libraries'].includes(a)) throw new Error(`unknown option ${a}`);
  }
  return { quick, sizes: [...new Set(sizes)].sort((a, b) => a - b), libraries };
}

/** Every bound of the run, by mode. All loops in the page and here are capped by count and time. */
function limits(quick) {
  return quick
    ? { minMs: 10, minReps: 2, maxReps: 30, perQueryCapMs: 300, phaseCapMs: 20_000, buildCapMs: 60_000, uiQueries: 4, decodeTimes: 2 }
    : { minMs: 50, minReps: 3, maxReps: 200, perQueryCapMs: 1_000, phaseCapMs: 60_000, buildCapMs: 120_000, uiQueries: 10, decodeTimes: 3 };
}

const log = (...a) => console.error('[bench]', ...a);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a benchmark binary built by run.sh; returns its stderr+stdout and the wall time. */
function runBinary(name, args) {
  const bin = join(BIN, name);
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: build it with cargo build --release -p sorot-cli -p sorot-bench (bench/run.sh does)`);
  const t0 = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return { out: `${r.stderr}${r.stdout}`, ms };
}

/** Writes the corpus of `n` articles (JSON Lines) and packs it; returns what the CLI reported. */
function makeCorpus(n) {
  const jsonl = join(WORK, 'corpora', `articles-${n}.jsonl`);
  const pack = join(WORK, 'corpora', `articles-${n}.pack`);
  runBinary('sorot-bench', ['--write-jsonl', jsonl, '--sizes', String(n)]);
  const { out, ms } = runBinary('sorot', ['pack', jsonl, '-o', pack]);
  const m = out.match(/(\d+) articles, (\d+) terms, (\d+) bytes \(article text (\d+) bytes\) in ([\d.]+) s/);
  return {
    articles: n,
    jsonl,
    pack,
    jsonlBytes: statSync(jsonl).size,
    packBytes: statSync(pack).size,
    packMs: ms,
    cliSeconds: m ? Number(m[5]) : null,
    terms: m ? Number(m[2]) : null,
    textBytes: m ? Number(m[4]) : null,
  };
}

function readArticles(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A folder to serve: the release bundle at the root, plus links. */
function makeSite() {
  const site = join(WORK, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  const files = readdirSync(DIST);
  for (const f of files) symlinkSync(join(DIST, f), join(site, f));
  symlinkSync(join(WORK, 'corpora'), join(site, 'corpora'));
  symlinkSync(join(BENCH, 'page'), join(site, 'harness'));
  symlinkSync(join(BENCH, 'node_modules'), join(site, 'vendor'));
  const appJs = files.find((f) => /^sorot-app-.*\.js$/.test(f));
  const appWasm = files.find((f) => /^sorot-app-.*_bg\.wasm$/.test(f));
  if (!appJs || !appWasm) throw new Error(`${DIST} has no sorot-app-*.js / *_bg.wasm: build it with trunk (bench/run.sh does)`);
  return { site, appJs: `/${appJs}`, appWasm: `/${appWasm}` };
}

/**
 * Serves the site on loopback, cross-origin isolated (COOP/COEP: finer performance.now(), 5 µs instead of
 * 100 µs), and accepts POST /upload/NAME?part=N: the page sends each library's serialised index here
 * (part 0 starts the file, later parts are appended).
 */
async function startServer(site) {
  const { server, url } = await serve(site, {
    port: 0,
    headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  });
  const exports = join(WORK, 'exports');
  mkdirSync(exports, { recursive: true });
  const [staticFiles] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const m = req.method === 'POST' && req.url.match(/^\/upload\/([\w.-]+)\?part=(\d+)$/);
    if (!m) return staticFiles(req, res);
    const file = join(exports, m[1]);
    const out = createWriteStream(file, { flags: m[2] === '0' ? 'w' : 'a' });
    req.pipe(out);
    out.on('finish', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: statSync(file).size })));
    out.on('error', (e) => res.writeHead(500).end(String(e)));
  });
  return { server, url, exports };
}

/** Resolves `promise`, or rejects after `ms` with a message naming the step. */
function within(ms, step, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`timeout: ${step} took over ${seconds(ms)}`)), ms);
    }),
  ]);
}

/** Reason text for a failed cell: out of memory when the page crashed. */
function reason(e) {
  const text = String(e?.message ?? e);
  if (/crash|Target closed|has been closed/i.test(text)) return 'page crashed (out of memory?)';
  return text.split('\n')[0].slice(0, 160);
}

function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Latency percentiles over the queries' mean times, overall and per kind; recall of targeted kinds. */
function summarise(runs, queries) {
  const timed = runs.filter((r) => Number.isFinite(r.ms));
  const kinds = [...new Set(queries.map((q) => q.kind))];
  const byKind = Object.fromEntries(
    kinds.map((k) => {
      const ms = timed.filter((r) => r.kind === k).map((r) => r.ms);
      return [k, { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), n: ms.length }];
    }),
  );
  const recall = (kind) => {
    const rs = runs.filter((r, i) => queries[i].kind === kind && typeof r.found === 'boolean');
    return rs.length ? { found: rs.filter((r) => r.found).length, of: queries.filter((q) => q.kind === kind).length } : null;
  };
  const ms = timed.map((r) => r.ms);
  return {
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    p99: percentile(ms, 0.99),
    timed: timed.filter((r) => !r.coldOnly).length,
    coldOnly: timed.filter((r) => r.coldOnly).length,
    skipped: runs.filter((r) => r.skipped).length,
    errors: runs.filter((r) => r.error).map((r) => r.error).slice(0, 3),
    byKind,
    stemmedRecall: recall('stemmed'),
    typoRecall: recall('typo'),
  };
}

/** One library on one corpus, in a fresh context; every step bounded in time. */
async function runCell({ browser, base, site, lib, corpus, queries, lim, exportsDir }) {
  const cell = { library: NAMES[lib] };
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  let current = 'open';
  const step = (name, ms, fn, arg) => {
    current = name;
    return within(ms, name, page.evaluate(fn, arg));
  };
  try {
    await page.goto(`${base}harness/harness.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    const init = await step('init', 60_000, (a) => window.bench.init(a), { lib, vendor: '/vendor', appJs: site.appJs, appWasm: site.appWasm });
    cell.crossOriginIsolated = init.crossOriginIsolated;
    const name = `articles-${corpus.articles}`;
    const built = await step('build', lim.buildCapMs * 2 + 120_000, (a) => window.bench.build(a), {
      corpusUrl: `/corpora/${name}.jsonl`,
      packUrl: `/corpora/${name}.pack`,
      capMs: lim.buildCapMs,
    });
    Object.assign(cell, built);
    if (built.capped) {
      cell.note = `build capped: indexed ${built.indexed} of ${built.total} articles in ${seconds(built.buildMs)} (cap ${seconds(lim.buildCapMs)})`;
      return cell;
    }
    Object.assign(cell, await step('memory', 60_000, () => window.bench.memory()));
    const runs = await step('queries', lim.phaseCapMs * 2 + 120_000, (a) => window.bench.queries(a), { list: queries, ...lim });
    cell.queries = summarise(runs, queries);
    cell.runs = runs.map((r) => ({ ms: r.ms, reps: r.reps, total: r.total, found: r.found, top: r.ids?.slice(0, 3) }));
    if (lib === 'sorot') {
      const withFacets = await step('queries+facets', lim.phaseCapMs * 2 + 120_000, (a) => window.bench.queries(a), { list: queries, ...lim, sorot: { facets: 20 } });
      cell.facets = summarise(withFacets, queries);
      Object.assign(cell, await step('decode', 120_000, (a) => window.bench.decode(a), { packUrl: `/corpora/${name}.pack`, times: lim.decodeTimes }));
      cell.rawBytes = corpus.packBytes;
      cell.rawFile = corpus.pack;
    } else {
      const exported = await step('export', 300_000, (a) => window.bench.exportIndex(a), { name: `${lib}-${corpus.articles}.json` });
      if (exported.na) {
        cell.exportNa = exported.na;
      } else {
        cell.rawBytes = exported.bytes;
        cell.rawFile = join(exportsDir, `${lib}-${corpus.articles}.json`);
        cell.serializeMs = exported.serializeMs;
        Object.assign(cell, await step('reload', 300_000, () => window.bench.reload()));
      }
    }
  } catch (e) {
    cell.error = `${current}: ${reason(e)}`;
  } finally {
    if (problems.length) cell.problems = problems.slice(0, 5);
    await context.close().catch(() => {});
  }
  return cell;
}

/**
 * Sorot's explorer with ?pack=: navigation → searchable, then keystrokes typed into the search box. With
 * `path`, the same on another page (the calibration page that only echoes keys).
 */
async function runUi({ browser, base, corpus, queries, lim, probeWord, path }) {
  const ui = {};
  // The offline service worker is blocked: on a first visit it would download the pack a second time
  // into its cache, in the background; that is not the explorer's own work.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    const script = readFileSync(join(BENCH, 'page/ui-probe.js'), 'utf8');
    await page.addInitScript({ content: `(${script.trim().replace(/;$/, '')})(${JSON.stringify(probeWord)});` });
    await page.goto(path ? `${base}${path}` : `${base}index.html?pack=corpora/articles-${corpus.articles}.pack`);
    await page.waitForFunction(() => window.__probe?.searchableAt !== null, null, { timeout: 240_000, polling: 100 });
    Object.assign(ui, await page.evaluate(() => {
      const p = window.__probe;
      const loading = p.longTasks.filter((t) => t.start <= p.searchableAt);
      return {
        searchableMs: p.searchableAt,
        probeFilledMs: p.filledAt,
        probeStatus: p.searchStatus,
        // Long tasks from navigation until searchable: the page could not react to input meanwhile.
        loadLongTasks: loading.length,
        loadLongTaskMaxMs: loading.reduce((m, t) => Math.max(m, t.duration), 0),
      };
    }));

    const box = page.getByRole('searchbox', { name: 'Search articles' });
    const typed = pickTyped(queries, lim.uiQueries);
    const started = Date.now();
    await page.evaluate(() => {
      window.__probe.recording = true;
      window.__probe.typingFrom = performance.now();
    });
    for (const text of typed) {
      if (Date.now() - started > 180_000) break;
      await box.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await within(30_000, 'clear', page.evaluate(() => window.__probe.quiet()));
      for (const ch of text) {
        const before = await page.evaluate(() => window.__probe.keys.length);
        await page.keyboard.type(ch);
        await page.waitForFunction((n) => window.__probe.keys.length > n && window.__probe.pending === 0, before, { timeout: 30_000, polling: 10 });
        await page.waitForTimeout(50); // typing pace: a short pause between keys
      }
    }
    const probe = await page.evaluate(() => {
      const p = window.__probe;
      p.recording = false;
      const from = p.typingFrom;
      const to = performance.now();
      return { keys: p.keys, longTasks: p.longTasks.filter((t) => t.start >= from && t.start <= to), events: p.events.filter((e) => e.start >= from) };
    });
    const ms = probe.keys.map((k) => k.ms);
    ui.typed = typed;
    ui.keystrokes = ms.length;
    ui.keyP50 = percentile(ms, 0.5);
    ui.keyP95 = percentile(ms, 0.95);
    ui.keyMax = percentile(ms, 1);
    ui.unchanged = probe.keys.filter((k) => !k.changed).length;
    ui.longTasks = probe.longTasks.length;
    // Of those, the ones inside a timed keystroke (the rest come from clearing the box between queries).
    ui.longTasksInKeys = probe.longTasks.filter((t) => probe.keys.some((k) => t.start >= k.start && t.start <= k.start + k.ms)).length;
    ui.longTaskMaxMs = probe.longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
    ui.longTaskTotalMs = probe.longTasks.reduce((s, t) => s + t.duration, 0);
    const keydowns = probe.events.filter((e) => e.name === 'keydown').map((e) => e.duration);
    ui.eventTimingMaxMs = keydowns.length ? Math.max(...keydowns) : null;
    ui.keys = probe.keys.map((k) => ({ key: k.key, start: k.start, ms: k.ms, changed: k.changed }));
  } catch (e) {
    ui.error = reason(e);
  } finally {
    if (problems.length) ui.problems = problems.slice(0, 5);
    await context.close().catch(() => {});
  }
  return ui;
}

/** What the keystroke test types: plain text as a person would (the explorer completes the last word). */
function pickTyped(queries, count) {
  const order = ['word', 'two words', 'prefix', 'typo', 'phrase'];
  const out = [];
  for (let round = 0; out.length < count && round < 10; round++) {
    for (const kind of order) {
      const q = queries.filter((x) => x.kind === kind)[round];
      if (q && out.length < count) out.push(q.kind === 'prefix' ? q.words[0] : q.text);
    }
  }
  return out;
}

/** Brotli size of a file (quality 6, 16 MiB window), cached by content hash: compression is slow. */
async function brotliSize(file, cache) {
  const bytes = readFileSync(file);
  const key = `q${BROTLI_QUALITY}:${createHash('sha256').update(bytes).digest('hex')}`;
  if (cache[key] === undefined) {
    const out = await promisify(brotliCompress)(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    cache[key] = out.length;
  }
  return cache[key];
}

/** The commit benchmarked, and how many tracked files differ from it (the tree is what gets built). */
function revision() {
  const git = (...args) => {
    try {
      return execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length;
  return `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${changed ? ` + ${changed} changed files` : ''}`;
}

function machine(chromiumVersion, revision) {
  const lscpu = (() => {
    try {
      return execFileSync('lscpu', { encoding: 'utf8' });
    } catch {
      return '';
    }
  })();
  const field = (name) => lscpu.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1]?.trim() ?? null;
  return {
    revision,
    cpu: field('Model name'),
    cores: Number(field('CPU\\(s\\)')) || null,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    chromium: chromiumVersion,
    node: process.version,
    date: new Date().toISOString(),
  };
}

// ---- Markdown ----

const fmt = (v, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ms = (v) => (v === null || v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));
const mb = (bytes) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '—');
const recall = (r) => (r ? `${r.found}/${r.of}` : '—');

function markdown(result) {
  const lines = [];
  const m = result.machine;
  lines.push('# Sorot browser benchmark — latest run', '');
  lines.push(`Machine: ${m.cpu ?? 'unknown CPU'}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.chromium}; Node ${m.node}; ${m.date}. Sorot at ${m.revision}.`);
  lines.push(`Run: sizes ${result.options.sizes.join(', ')}${result.options.quick ? ' (--quick)' : ''}; ${result.queries.length} queries; took ${seconds(result.elapsedMs)}. See bench/README.md for what each number means.`, '');
  const f = result.floor;
  if (f && !f.error) {
    lines.push(`Keystroke → paint floor (a page that only echoes the key, same probe and keys): p50 **${ms(f.keyP50)} ms**, p95 **${ms(f.keyP95)} ms** over ${f.keystrokes} keystrokes. The explorer's keystroke numbers below include this.`, '');
  }
  for (const s of result.sizes) {
    lines.push(`## ${s.corpus.articles.toLocaleString('en-US')} articles`, '');
    lines.push(`Corpus: ${mb(s.corpus.jsonlBytes)} MiB JSON Lines, ${mb(s.corpus.textBytes)} MiB of article text; \`sorot pack\`: ${s.corpus.terms} terms, ${seconds(s.corpus.packMs)}.`, '');
    lines.push('| library | build/load ms | reload ms | bytes raw | bytes brotli | heap MB | wasm MB | p50 ms | p95 ms | p99 ms | stemmed recall | typo recall |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const notes = [];
    for (const c of s.cells) {
      if (c.error || c.note || c.skipped) {
        lines.push(`| ${c.library} | ${c.skipped ? 'skipped' : c.error ? 'failed' : 'capped'} | | | | | | | | | | |`);
        notes.push(`${c.library}: ${c.skipped ?? c.error ?? c.note}`);
        continue;
      }
      const q = c.queries ?? {};
      const reload = c.library === 'Sorot' ? c.decodeMs : c.reloadMs;
      const raw = c.exportNa ? 'n/a' : c.rawBytes?.toLocaleString('en-US') ?? '—';
      const br = c.exportNa ? 'n/a' : c.brotliBytes?.toLocaleString('en-US') ?? '—';
      lines.push(`| ${c.library} | ${ms(c.buildMs)} | ${ms(reload)} | ${raw} | ${br} | ${mb(c.heapBytes)} | ${c.wasmBytes ? mb(c.wasmBytes) : '—'} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(q.p99)} | ${recall(q.stemmedRecall)} | ${recall(q.typoRecall)} |`);
      if (c.facets) {
        lines.push(`| Sorot + facets | | | | | | | ${ms(c.facets.p50)} | ${ms(c.facets.p95)} | ${ms(c.facets.p99)} | | |`);
      }
      if (q.coldOnly || q.skipped) notes.push(`${c.library}: ${q.coldOnly} queries timed once only and ${q.skipped} not run (query time cap)`);
      if (c.exportNa) notes.push(`${c.library}: ${c.exportNa}`);
      if (q.errors?.length) notes.push(`${c.library}: query errors, e.g. ${q.errors[0]}`);
      if (c.problems?.length) notes.push(`${c.library}: page errors, e.g. ${c.problems[0]}`);
    }
    lines.push('');
    const ui = s.ui;
    if (ui) {
      if (ui.error) lines.push(`Sorot explorer (?pack=): failed — ${ui.error}`);
      else {
        lines.push(`Sorot explorer (\`index.html?pack=\`): navigation → searchable **${ms(ui.searchableMs)} ms** with ${ui.loadLongTasks} long task(s) > 50 ms while loading (longest ${ms(ui.loadLongTaskMaxMs)} ms); keystroke → results painted p50 **${ms(ui.keyP50)} ms**, p95 **${ms(ui.keyP95)} ms**, max ${ms(ui.keyMax)} ms over ${ui.keystrokes} keystrokes; long tasks > 50 ms while typing: **${ui.longTasks}**, ${ui.longTasksInKeys} of them inside timed keystrokes, the rest from clearing the box (longest ${ms(ui.longTaskMaxMs)} ms, ${ms(ui.longTaskTotalMs)} ms in all).`);
      }
      lines.push('');
    }
    const kinds = Object.keys(s.cells.find((c) => c.queries)?.queries.byKind ?? {});
    if (kinds.length) {
      lines.push('<details><summary>p50 ms by kind of query</summary>', '');
      lines.push(`| library | ${kinds.join(' | ')} |`);
      lines.push(`|---|${kinds.map(() => '---:').join('|')}|`);
      for (const c of s.cells.filter((x) => x.queries)) {
        lines.push(`| ${c.library} | ${kinds.map((k) => ms(c.queries.byKind[k]?.p50)).join(' | ')} |`);
        if (c.facets) lines.push(`| Sorot + facets | ${kinds.map((k) => ms(c.facets.byKind[k]?.p50)).join(' | ')} |`);
      }
      lines.push('', '</details>', '');
    }
    for (const n of notes) lines.push(`- ${n}`);
    if (notes.length) lines.push('');
    const sorot = s.cells.find((c) => c.library === 'Sorot' && c.runs?.length === result.queries.length);
    const missed = sorot ? result.queries.filter((q, i) => q.target && sorot.runs[i].found === false) : [];
    if (missed.length) {
      lines.push(`<details><summary>Stemmed and typo queries whose target Sorot did not rank in its top 10 (${missed.length})</summary>`, '');
      lines.push('| kind | query | the article has | target |', '|---|---|---|---|');
      for (const q of missed) lines.push(`| ${q.kind} | \`${q.text}\` | ${q.from.join(', ')} | ${q.target} |`);
      lines.push('', '</details>', '');
    }
  }
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const lim = limits(options.quick);
  const began = performance.now();
  const benchmarked = revision();
  mkdirSync(join(WORK, 'corpora'), { recursive: true });

  // Corpora and packs. The queries come from the first 1,000 articles, which every size shares.
  const corpora = [];
  for (const n of options.sizes) {
    log(`writing and packing ${n} articles`);
    corpora.push(makeCorpus(n));
    log(`  packed in ${seconds(corpora.at(-1).packMs)}: ${mb(corpora.at(-1).packBytes)} MiB`);
  }
  const smallest = corpora[0];
  const queries = makeQueries(readArticles(smallest.jsonl).slice(0, 1000));
  const seedText = readdirSync(join(ROOT, 'seeds')).map((f) => readFileSync(join(ROOT, 'seeds', f), 'utf8')).join(' ');
  const seedWords = new Set(words(seedText));
  const probeWord = queries.find((q) => q.kind === 'word' && q.words[0].length >= 6 && !seedWords.has(q.words[0]))?.words[0];
  writeFileSync(join(WORK, 'queries.json'), JSON.stringify(queries, null, 1));

  const site = makeSite();
  const { server, url: base, exports: exportsDir } = await startServer(site.site);
  log(`serving ${site.site} at ${base}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--disable-dev-shm-usage',
      '--js-flags=--expose-gc'],
  });
  const chromiumVersion = `Chromium ${browser.version()}`;

  const sizes = [];
  // The floor of keystroke → paint on this browser and machine: the same probe and keys on a page that
  // only echoes what is typed.
  log('keystroke floor (calibration page)');
  const floor = await runUi({ browser, base, corpus: corpora[0], queries, lim, probeWord, path: 'harness/echo.html' });
  log(`  ${floor.error ?? `keystroke p50 ${ms(floor.keyP50)} ms, p95 ${ms(floor.keyP95)} ms`}`);
  const previous = {}; // lib → { articles, buildMs } of its last completed size
  const stopped = {}; // lib → why larger sizes are skipped
  try {
    for (const corpus of corpora) {
      const cells = [];
      for (const lib of options.libraries) {
        const last = previous[lib];
        const predicted = last ? (last.buildMs * corpus.articles) / last.articles : 0;
        if (stopped[lib]) {
          cells.push({ library: NAMES[lib], skipped: stopped[lib] });
          continue;
        }
        if (predicted > lim.buildCapMs) {
          stopped[lib] = `skipped from ${corpus.articles} articles: ${seconds(last.buildMs)} for ${last.articles} predicts ${seconds(predicted)}, over the ${seconds(lim.buildCapMs)} cap`;
          cells.push({ library: NAMES[lib], skipped: stopped[lib] });
          continue;
        }
        log(`${corpus.articles} articles: ${NAMES[lib]}`);
        const t0 = performance.now();
        const cell = await runCell({ browser, base, site, lib, corpus, queries, lim, exportsDir });
        log(`  ${seconds(performance.now() - t0)}: ${cell.error ?? cell.note ?? `build/load ${ms(cell.buildMs)} ms, p50 ${ms(cell.queries?.p50)} ms, heap ${mb(cell.heapBytes)} MB`}`);
        if (cell.error || cell.note) stopped[lib] = `skipped from ${corpus.articles} articles on: ${cell.error ?? cell.note}`;
        else previous[lib] = { articles: corpus.articles, buildMs: cell.buildMs };
        cells.push(cell);
      }
      log(`${corpus.articles} articles: Sorot explorer`);
      const ui = await runUi({ browser, base, corpus, queries, lim, probeWord });
      log(`  ${ui.error ?? `searchable ${ms(ui.searchableMs)} ms, keystroke p50 ${ms(ui.keyP50)} ms, ${ui.longTasks} long tasks`}`);
      sizes.push({ corpus, cells, ui });
    }
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }

  // Compression after the browser is gone, so it never competes with a measurement.
  log('brotli sizes');
  const cachePath = join(WORK, 'brotli-cache.json');
  const cache = existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  for (const s of sizes) {
    s.corpus.packBrotli = await brotliSize(s.corpus.pack, cache);
    for (const c of s.cells) if (c.rawFile && existsSync(c.rawFile)) c.brotliBytes = await brotliSize(c.rawFile, cache);
  }
  writeFileSync(cachePath, JSON.stringify(cache));

  const result = {
    machine: machine(chromiumVersion, benchmarked),
    options: { ...options, limits: lim, brotli: `quality ${BROTLI_QUALITY}, window 2^24` },
    elapsedMs: performance.now() - began,
    queries,
    floor,
    sizes,
  };
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  writeFileSync(join(BENCH, 'results/latest.json'), JSON.stringify(result, null, 1) + '\n');
  const md = markdown(result);
  writeFileSync(join(BENCH, 'results/latest.md'), md + '\n');
  console.log(md);
  log(`done in ${seconds(result.elapsedMs)}; free memory ${mb(freemem())} MiB`);
}

main().catch((e) => {
  console.error(`[bench] error: ${e.stack ?? e}`);
  process.exit(1);
});
