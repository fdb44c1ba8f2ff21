// The browser benchmark's runner (started by bench/run.sh, which builds what it needs first):
// corpus → pack → known-item queries → one headless Chromium → every library → results/latest.{md,json}.
//
//   node bench/run.mjs [--corpus FILE] [--queries FILE] [--generated | --sizes 1000,10000] [--quick]
//                      [--libraries sorot,lunr]
//
// The main table is a real news archive (default ../shared/data/news/clickid-dev.jsonl.gz), searched
// with the known-item queries that `sorot-bench --known-items` makes from its titles. Generated corpora
// (--sizes, or --generated for the default sizes) are a second, optional table with queries made the
// same way. It prints numbers and never fails on timing; a library that runs out of time or memory gets
// a note in its cell instead of a number. Then the cold start over a throttled network, Sorot's
// explorer beside Pagefind (bench/cold-start.mjs); --cold-start runs only that.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/server.mjs';
import { benchCertificate, coldStartMarkdown, pagefindLine, preparePagefind, runColdStart, THROTTLE_TEXT } from './cold-start.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const WORK = join(ROOT, 'target/bench');
const DIST = join(ROOT, 'target/bench-dist');
const BIN = process.env.SOROT_BIN_DIR ?? join(ROOT, 'target/release');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Where the user ran bench/run.sh (it moves to the repository root): --corpus and --queries are relative to it. */
const CWD = process.env.SOROT_BENCH_CWD ?? process.cwd();
const DEFAULT_CORPUS = '../shared/data/news/clickid-dev.jsonl.gz'; // relative to the repository root
const DEFAULT_SIZES = { full: [1000, 10000, 20000, 50000], quick: [1000, 10000] };
const LIBRARIES = ['sorot', 'minisearch', 'flexsearch', 'lunr', 'orama', 'pagefind'];
const NAMES = { sorot: 'Sorot', minisearch: 'MiniSearch', flexsearch: 'FlexSearch', lunr: 'Lunr', orama: 'Orama', pagefind: 'Pagefind' };
/** The libraries of the main table (the in-page harness, bench/page/engines.mjs). */
const TABLE_LIBRARIES = ['sorot', 'minisearch', 'flexsearch', 'lunr', 'orama'];
/** The libraries of the cold-start phase. */
const COLD_LIBRARIES = ['sorot', 'pagefind'];
/** The kinds of query `sorot-bench --known-items` writes, in its order (tables follow it). */
const KINDS = ['one word', 'two words', 'three words', 'prefix', 'typo', 'stemmed', 'phrase'];
const BROTLI_QUALITY = 6;

const USAGE = `usage: bash bench/run.sh [--corpus FILE] [--queries FILE] [--generated | --sizes N,N,…] [--quick] [--libraries LIST] [--cold-start]
  --corpus FILE     JSON Lines (.gz allowed) with id, title, body; default ${DEFAULT_CORPUS}
  --queries FILE    known-item queries for that corpus (sorot-bench --known-items format) instead of making them
  --generated       also the generated corpora at ${DEFAULT_SIZES.full.join(', ')} articles (${DEFAULT_SIZES.quick.join(', ')} with --quick)
  --sizes N,N,…     also generated corpora of these sizes (each at least 1000)
  --quick           fewer queries per kind and repetitions (for working on the benchmark)
  --libraries LIST  some of ${LIBRARIES.join(', ')} (pagefind: the cold-start phase only)
  --cold-start      only the cold start over a throttled network (${THROTTLE_TEXT}): Sorot's explorer and Pagefind`;

/** A mistake in the options: reported with the usage, without a stack trace. */
class OptionError extends Error {}

function parseArgs(argv) {
  const flags = ['--quick', '--generated', '--cold-start'];
  const valued = ['--corpus', '--queries', '--sizes', '--libraries'];
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flags.includes(a)) given[a] = true;
    else if (valued.includes(a)) {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new OptionError(`${a} needs a value\n${USAGE}`);
      given[a] = argv[++i];
    } else throw new OptionError(`unknown option ${a}\n${USAGE}`);
  }
  const quick = Boolean(given['--quick']);
  const corpus = given['--corpus'] ? resolve(CWD, given['--corpus']) : resolve(ROOT, DEFAULT_CORPUS);
  if (!existsSync(corpus)) throw new OptionError(`--corpus: ${corpus} does not exist`);
  if (!/\.(jsonl|ndjson)(\.gz)?$/i.test(corpus)) throw new OptionError(`--corpus: ${corpus} is not JSON Lines (.jsonl or .jsonl.gz): the JavaScript libraries read it as that`);
  const queries = given['--queries'] ? resolve(CWD, given['--queries']) : null;
  if (queries && !existsSync(queries)) throw new OptionError(`--queries: ${queries} does not exist`);
  let sizes = [];
  if (given['--sizes'] !== undefined) {
    sizes = given['--sizes'].split(',').map((s) => Number(s.trim()));
    if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
      throw new OptionError('--sizes takes a comma-separated list of article counts, each at least 1000 (e.g. 1000,10000)');
    }
  } else if (given['--generated']) {
    sizes = quick ? DEFAULT_SIZES.quick : DEFAULT_SIZES.full;
  }
  const libraries = given['--libraries'] !== undefined ? given['--libraries'].split(',').map((s) => s.trim().toLowerCase()) : LIBRARIES;
  if (!libraries.length || libraries.some((l) => !LIBRARIES.includes(l))) {
    throw new OptionError(`--libraries takes a comma-separated list of ${LIBRARIES.join(', ')}`);
  }
  const coldOnly = Boolean(given['--cold-start']);
  if (coldOnly && sizes.length) throw new OptionError('--cold-start runs only the cold-start phase, on the real corpus: --generated and --sizes do not go with it');
  if (coldOnly && !libraries.some((l) => COLD_LIBRARIES.includes(l))) {
    throw new OptionError(`--cold-start measures ${COLD_LIBRARIES.join(' and ')}; --libraries names neither`);
  }
  return { quick, corpus, queries, sizes: [...new Set(sizes)].sort((a, b) => a - b), libraries, coldOnly };
}

/** Every bound of the run, by mode. All loops in the page and here are capped by count and time. */
function limits(quick) {
  return quick
    ? { perKind: 15, minMs: 10, minReps: 2, maxReps: 30, perQueryCapMs: 300, phaseCapMs: 20_000, buildCapMs: 60_000, uiQueries: 4, decodeTimes: 2, coldLater: 3 }
    : { perKind: Infinity, minMs: 50, minReps: 3, maxReps: 200, perQueryCapMs: 1_000, phaseCapMs: 60_000, buildCapMs: 120_000, uiQueries: 10, decodeTimes: 3, coldLater: 5 };
}

const log = (...a) => console.error('[bench]', ...a);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs a binary built by run.sh; returns its stderr+stdout, exit status and wall time. Exit statuses in
 * `accept` (besides 0) are not failures: `sorot pack` exits 1 when it left some records out.
 */
function runBinary(name, args, accept = []) {
  const bin = join(BIN, name);
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: build it with cargo build --release -p sorot-cli -p sorot-bench (bench/run.sh does)`);
  const t0 = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !accept.includes(r.status)) {
    throw new Error(`${name} ${args.join(' ')} failed (${r.error?.message ?? `exit status ${r.status ?? r.signal}`}):\n${r.stderr}${r.stdout}`.trimEnd());
  }
  return { out: `${r.stderr}${r.stdout}`, status: r.status, ms };
}

/** The articles of a JSON Lines file (gzip-compressed when it ends in .gz), as the page will read them. */
function readArticles(file) {
  let bytes = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  const out = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A broken line: `sorot pack` reports it; the page skips it too.
    }
  }
  return { articles: out, textBytes: bytes.length };
}

/**
 * The ids of the articles, and of those with a title of their own: a query made from a title that
 * Sorot's reader derived (no title in the file: it takes the first sentence) is one the other
 * libraries cannot answer from a title, since they index the file as it is.
 */
function articleIds(articles) {
  const ids = new Set();
  const titled = new Set();
  for (const a of articles) {
    if (typeof a.id !== 'string') continue;
    ids.add(a.id);
    if (typeof a.title === 'string' && a.title.trim()) titled.add(a.id);
  }
  // Words of the first articles, for the explorer's probe when no query has a fitting one.
  const sampleWords = [...new Set(articles.slice(0, 20).flatMap((a) => words(`${a.title ?? ''} ${a.body ?? ''}`)))];
  return { ids, titled, sampleWords };
}

/** Packs `jsonl` into `pack` with `sorot pack`; returns what the CLI reported. */
function packCorpus(jsonl, pack) {
  const { out, status, ms } = runBinary('sorot', ['pack', jsonl, '-o', pack], [1]);
  const m = out.match(/([\d,]+) articles?, (\d+) terms, (\d+) bytes \(article text (\d+) bytes\) in ([\d.]+) s/);
  return {
    pack,
    packBytes: statSync(pack).size,
    packMs: ms,
    packed: m ? Number(m[1].replaceAll(',', '')) : null,
    cliSeconds: m ? Number(m[5]) : null,
    terms: m ? Number(m[2]) : null,
    textBytes: m ? Number(m[4]) : null,
    // Exit status 1: some records were left out; the CLI's own summary says which.
    packProblems: status === 1 ? out.split('\n').filter((l) => /skipped|not understood|:\d+:/.test(l)).slice(0, 6) : [],
  };
}

/**
 * The real archive: served from where it is (a link in the site; the page decompresses it), packed into
 * target/bench/corpora. Nothing of it is copied into the repository.
 */
function prepareReal(file) {
  const name = basename(file).replace(/\.gz$/i, '').replace(/\.(jsonl|ndjson)$/i, '');
  const served = join(WORK, 'corpora', basename(file));
  rmSync(served, { force: true });
  symlinkSync(file, served);
  const { articles } = readArticles(file);
  const pack = packCorpus(file, join(WORK, 'corpora', `${name}.pack`));
  const split = splitCorpus(file, join(WORK, 'corpora', `${name}-split`));
  return {
    kind: 'real',
    label: basename(file),
    name,
    source: file,
    articles: articles.length,
    ...articleIds(articles),
    jsonlBytes: statSync(file).size,
    jsonlGzip: file.endsWith('.gz'),
    jsonl: file,
    jsonlUrl: `/corpora/${encodeURIComponent(basename(file))}`,
    packUrl: `/corpora/${name}.pack`,
    splitUrl: `/corpora/${name}-split/entry.sorot`,
    ...pack,
    ...split,
  };
}

/** The corpus as a split pack (`sorot pack --split DIR`), for the cold start: its entry and pieces. */
function splitCorpus(jsonl, dir) {
  const { out, ms } = runBinary('sorot', ['pack', jsonl, '--split', dir], [1]);
  const m = out.match(/(\d+) pieces \((\d+) bytes, entry (\d+) bytes\)/);
  return { splitMs: ms, splitPieces: m ? Number(m[1]) : null, splitBytes: m ? Number(m[2]) : null, splitEntryBytes: m ? Number(m[3]) : null };
}

/** A generated corpus of `n` articles (sorot-bench --write-jsonl), packed. */
function prepareGenerated(n) {
  const name = `articles-${n}`;
  const jsonl = join(WORK, 'corpora', `${name}.jsonl`);
  runBinary('sorot-bench', ['--write-jsonl', jsonl, '--sizes', String(n)]);
  const { articles } = readArticles(jsonl);
  const pack = packCorpus(jsonl, join(WORK, 'corpora', `${name}.pack`));
  return {
    kind: 'generated',
    label: `${n.toLocaleString('en-US')} generated articles`,
    name,
    source: jsonl,
    articles: articles.length,
    ...articleIds(articles),
    jsonlBytes: statSync(jsonl).size,
    jsonlGzip: false,
    jsonl,
    jsonlUrl: `/corpora/${name}.jsonl`,
    packUrl: `/corpora/${name}.pack`,
    ...pack,
  };
}

/**
 * The known-item queries of a corpus: `sorot-bench --known-items --corpus FILE --write-queries OUT`
 * (or the file given with --queries), checked. With --quick, the first `perKind` of each kind.
 */
function knownItems(corpus, given, perKind) {
  const file = given ?? join(WORK, `queries-${corpus.name}.json`);
  let ms = 0;
  if (!given) {
    rmSync(file, { force: true });
    ({ ms } = runBinary('sorot-bench', ['--known-items', '--corpus', corpus.source, '--write-queries', file]));
  }
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not the JSON of sorot-bench --known-items: ${e.message}`);
  }
  if (!Array.isArray(doc?.queries)) throw new Error(`${file}: no "queries" array`);
  const list = [];
  const dropped = [];
  const taken = {};
  for (const [i, q] of doc.queries.entries()) {
    const ok = q && typeof q.kind === 'string' && typeof q.text === 'string' && q.text.trim()
      && Array.isArray(q.words) && q.words.length && q.words.every((w) => typeof w === 'string' && w)
      && typeof q.target === 'string';
    if (!ok) throw new Error(`${file}: query ${i} lacks kind, text, words or target: ${JSON.stringify(q).slice(0, 200)}`);
    if (!corpus.ids.has(q.target)) {
      dropped.push({ why: 'its target is not an article of the file', kind: q.kind, text: q.text, target: q.target });
      continue;
    }
    if (!corpus.titled.has(q.target)) {
      dropped.push({ why: 'its target has no title in the file (Sorot took its first sentence; the other libraries index none)', kind: q.kind, text: q.text, target: q.target });
      continue;
    }
    taken[q.kind] = (taken[q.kind] ?? 0) + 1;
    if (taken[q.kind] > perKind) continue;
    // The target's title stays in target/bench (the queries file); results keep only what was asked.
    list.push({ kind: q.kind, text: q.text, words: q.words, target: q.target });
  }
  // The real corpus's table is about these queries; a generated size without any still has its
  // build, memory and size numbers.
  if (!list.length && corpus.kind === 'real') throw new Error(`${file}: no usable queries for ${corpus.label}`);
  if (!list.length) log(`  no usable queries for ${corpus.label}: its table has no latency or success`);
  // Tables follow the generator's order of kinds; a kind it adds later goes at the end.
  const order = (k) => (KINDS.includes(k) ? KINDS.indexOf(k) : KINDS.length);
  const kinds = [...new Set(list.map((q) => q.kind))].sort((a, b) => order(a) - order(b));
  return {
    file,
    generatedMs: given ? null : ms,
    seed: doc.seed ?? null,
    perKind: doc.per_kind ?? null,
    made: doc.queries.reduce((m, q) => ({ ...m, [q.kind]: (m[q.kind] ?? 0) + 1 }), {}),
    kinds,
    list,
    dropped,
  };
}

/** Lower-case words of a text (letters only). */
function words(text) {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/**
 * The word the explorer's load test types as soon as the box exists: a one-word query of the corpus
 * that the bundled seed corpus lacks, so "found" means the pack was loaded.
 */
function probeWordFor(queries, sampleWords) {
  const seedText = readdirSync(join(ROOT, 'seeds')).map((f) => readFileSync(join(ROOT, 'seeds', f), 'utf8')).join(' ');
  const seedWords = new Set(words(seedText));
  const plain = (q) => q.words.length === 1 && /^\p{L}+$/u.test(q.text);
  return queries.find((q) => q.kind === 'one word' && plain(q) && q.text.length >= 6 && !seedWords.has(q.text))?.text
    ?? [...queries.flatMap((q) => q.words), ...sampleWords].find((w) => w.length >= 6 && /^\p{L}+$/u.test(w) && !seedWords.has(w));
}

/** A folder to serve: the release bundle at the root, plus links (Pagefind's bundle at /pagefind/ when given). */
function makeSite(pagefindBundle) {
  const site = join(WORK, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  const files = readdirSync(DIST);
  for (const f of files) symlinkSync(join(DIST, f), join(site, f));
  symlinkSync(join(WORK, 'corpora'), join(site, 'corpora'));
  symlinkSync(join(BENCH, 'page'), join(site, 'harness'));
  symlinkSync(join(BENCH, 'node_modules'), join(site, 'vendor'));
  if (pagefindBundle) symlinkSync(pagefindBundle, join(site, 'pagefind'));
  const appJs = files.find((f) => /^sorot-app-.*\.js$/.test(f));
  const appWasm = files.find((f) => /^sorot-app-.*_bg\.wasm$/.test(f));
  if (!appJs || !appWasm) throw new Error(`${DIST} has no sorot-app-*.js / *_bg.wasm: build it with trunk (bench/run.sh does)`);
  return { site, appJs: `/${appJs}`, appWasm: `/${appWasm}` };
}
/**
 * Serves the site on loopback, cross-origin isolated (COOP/COEP: finer performance.now(), 5 µs instead of
 * 100 µs), and accepts POST /upload/NAME?part=N: the page sends each library's serialised index here
 * (part 0 starts the file, later parts are appended). While `traffic.label` is set (the cold-start
 * phase), every response is logged with that label and the bytes written for it (see `countBytes`).
 * With `tls`, over HTTP/2 (the cold start's second protocol; no uploads there).
 */
async function startServer(site, tls = null) {
  const { server, url } = await serve(site, {
    port: 0,
    compress: true,
    tls,
    headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  });
  const exports = join(WORK, 'exports');
  mkdirSync(exports, { recursive: true });
  const [staticFiles] = server.listeners('request');
  server.removeAllListeners('request');
  const traffic = { label: null, log: [] };
  server.on('request', (req, res) => {
    if (traffic.label) countBytes(req, res, traffic);
    const m = !tls && req.method === 'POST' && req.url.match(/^\/upload\/([\w.-]+)\?part=(\d+)$/);
    if (!m) return staticFiles(req, res);
    const file = join(exports, m[1]);
    const out = createWriteStream(file, { flags: m[2] === '0' ? 'w' : 'a' });
    req.pipe(out);
    out.on('finish', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: statSync(file).size })));
    out.on('error', (e) => res.writeHead(500).end(String(e)));
  });
  return { server, url, exports, traffic };
}

/**
 * Logs a response under the traffic's label with the bytes sent for it. HTTP/1.1: what was written to
 * its socket (headers and body; one response at a time per connection, so the socket's count moves by
 * exactly that). HTTP/2, where a connection carries many responses at once: the body, 9 bytes of frame
 * header per DATA frame (16 KiB each) and the HEADERS frame with every header as an HPACK literal
 * (name and value with a byte of length each, never indexed: at least what was sent). TLS's own
 * overhead is in neither (about 22 bytes per 16 KiB record).
 */
function countBytes(req, res, traffic) {
  const entry = { label: traffic.label, url: req.url, bytes: 0, done: false };
  traffic.log.push(entry);
  if (req.httpVersion === '2.0') {
    // (Every response of the static server says its body's length; HEAD sends none.)
    const total = () => {
      const sent = res.stream?.sentHeaders ?? {};
      const body = req.method === 'HEAD' ? 0 : Number(sent['content-length'] ?? 0);
      const headers = Object.entries(sent).reduce((n, [k, v]) => n + k.length + String(v).length + 2, 0);
      return 9 + headers + body + 9 * Math.max(1, Math.ceil(body / 16384));
    };
    res.on('finish', () => ((entry.bytes = total()), (entry.done = true)));
    res.on('close', () => !entry.done && (entry.bytes = total()));
    return;
  }
  const socket = req.socket;
  const from = socket.bytesWritten;
  res.on('finish', () => {
    entry.bytes = socket.bytesWritten - from;
    entry.done = true;
  });
  res.on('close', () => {
    if (!entry.done) entry.bytes = socket.bytesWritten - from;
  });
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

/**
 * Latency percentiles and known-item quality of a set of runs: success@10 (the target among the top 10)
 * and MRR@10 (the mean of 1/rank of the target, 0 when it is not in the top 10), over the queries that
 * ran. `asked` is how many there were.
 */
function score(runs, asked) {
  const ran = runs.filter((r) => !r.skipped && !r.error);
  const ms = ran.map((r) => r.ms);
  const found = ran.filter((r) => r.rank).length;
  return {
    asked,
    ran: ran.length,
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    p99: percentile(ms, 0.99),
    found,
    success: ran.length ? found / ran.length : null,
    mrr: ran.length ? ran.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / ran.length : null,
  };
}

/** Overall and per-kind numbers of one library's runs (runs[i] answers queries[i]). */
function summarise(runs, queries, kinds) {
  const overall = score(runs, queries.length);
  const byKind = Object.fromEntries(kinds.map((k) => {
    const mine = runs.filter((_, i) => queries[i].kind === k);
    return [k, score(mine, mine.length)];
  }));
  return {
    ...overall,
    timed: runs.filter((r) => Number.isFinite(r.ms) && !r.coldOnly).length,
    coldOnly: runs.filter((r) => r.coldOnly).length,
    skipped: runs.filter((r) => r.skipped).length,
    errors: runs.filter((r) => r.error).map((r) => r.error).slice(0, 3),
    errorCount: runs.filter((r) => r.error).length,
    byKind,
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
  const list = queries.list;
  try {
    await page.goto(`${base}harness/harness.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    const init = await step('init', 60_000, (a) => window.bench.init(a), { lib, vendor: '/vendor', appJs: site.appJs, appWasm: site.appWasm });
    cell.crossOriginIsolated = init.crossOriginIsolated;
    const built = await step('build', lim.buildCapMs * 2 + 120_000, (a) => window.bench.build(a), {
      corpusUrl: corpus.jsonlUrl,
      packUrl: corpus.packUrl,
      capMs: lim.buildCapMs,
    });
    Object.assign(cell, built);
    if (built.capped) {
      cell.note = `build capped: indexed ${built.indexed} of ${built.total} articles in ${seconds(built.buildMs)} (cap ${seconds(lim.buildCapMs)})`;
      return cell;
    }
    Object.assign(cell, await step('memory', 60_000, () => window.bench.memory()));
    const runs = await step('queries', lim.phaseCapMs * 2 + 120_000, (a) => window.bench.queries(a), { list, ...lim });
    cell.queries = summarise(runs, list, queries.kinds);
    cell.runs = runs.map((r) => ({ ms: r.ms, reps: r.reps, total: r.total, rank: r.rank ?? null, top: r.ids?.slice(0, 3), error: r.error, skipped: r.skipped }));
    if (lib === 'sorot') {
      const withFacets = await step('queries+facets', lim.phaseCapMs * 2 + 120_000, (a) => window.bench.queries(a), { list, ...lim, sorot: { facets: 20 } });
      cell.facets = summarise(withFacets, list, queries.kinds);
      // What the other libraries return: ranked ids, no snippets and no facets.
      const bare = await step('queries-bare', lim.phaseCapMs * 2 + 120_000, (a) => window.bench.queries(a), { list, ...lim, sorot: { snippets: false } });
      cell.bare = summarise(bare, list, queries.kinds);
      Object.assign(cell, await step('decode', 120_000, (a) => window.bench.decode(a), { packUrl: corpus.packUrl, times: lim.decodeTimes }));
      cell.rawBytes = corpus.packBytes;
      cell.rawFile = corpus.pack;
    } else {
      const exportName = `${lib}-${corpus.name}.json`;
      const exported = await step('export', 300_000, (a) => window.bench.exportIndex(a), { name: exportName });
      if (exported.na) {
        cell.exportNa = exported.na;
      } else {
        cell.rawBytes = exported.bytes;
        cell.rawFile = join(exportsDir, exportName);
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
    await page.goto(path ? `${base}${path}` : `${base}index.html?pack=${corpus.packUrl.slice(1)}`);
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
    const typed = pickTyped(queries.list, lim.uiQueries);
    if (!typed.length) typed.push(probeWord); // a corpus without queries: at least the probe word
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

/**
 * What the keystroke test types, a query of each kind in turn: plain text as a person would (the
 * explorer completes the last word, so a prefix query is typed without its `*`).
 */
function pickTyped(queries, count) {
  const order = ['one word', 'two words', 'prefix', 'typo', 'phrase', 'three words', 'stemmed'];
  const out = [];
  for (let round = 0; out.length < count && round < 10; round++) {
    for (const kind of order) {
      const q = queries.filter((x) => x.kind === kind)[round];
      if (q && out.length < count) out.push(q.kind === 'prefix' ? q.words.join(' ') : q.text);
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

const ms = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));
const mb = (bytes) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '—');
const mrr = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));
const pct = (s) => (s?.success === null || s?.success === undefined ? '—' : `${(100 * s.success).toFixed(1)}% (${s.found}/${s.ran})`);
const count = (n) => n.toLocaleString('en-US');

/** The rows of a corpus's main table: one per library (and Sorot + facets), notes under it. */
function mainTable(entry, lines) {
  lines.push('| library | build/load ms | reload ms | bytes raw | bytes brotli | heap MB | wasm MB | p50 ms | p95 ms | p99 ms | success@10 | MRR@10 |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const notes = [];
  for (const c of entry.cells) {
    if (c.error || c.note || c.skipped) {
      lines.push(`| ${c.library} | ${c.skipped ? 'skipped' : c.error ? 'failed' : 'capped'} | | | | | | | | | | |`);
      notes.push(`${c.library}: ${c.skipped ?? c.error ?? c.note}`);
      continue;
    }
    const q = c.queries ?? {};
    const reload = c.library === 'Sorot' ? c.decodeMs : c.reloadMs;
    const raw = c.exportNa ? 'n/a' : c.rawBytes?.toLocaleString('en-US') ?? '—';
    const br = c.exportNa ? 'n/a' : c.brotliBytes?.toLocaleString('en-US') ?? '—';
    lines.push(`| ${c.library} | ${ms(c.buildMs)} | ${ms(reload)} | ${raw} | ${br} | ${mb(c.heapBytes)} | ${c.wasmBytes ? mb(c.wasmBytes) : '—'} | ${ms(q.p50)} | ${ms(q.p95)} | ${ms(q.p99)} | ${pct(q)} | ${mrr(q.mrr)} |`);
    if (c.facets) lines.push(`| Sorot + facets | | | | | | | ${ms(c.facets.p50)} | ${ms(c.facets.p95)} | ${ms(c.facets.p99)} | | |`);
    if (c.bare) lines.push(`| Sorot, ids only | | | | | | | ${ms(c.bare.p50)} | ${ms(c.bare.p95)} | ${ms(c.bare.p99)} | | |`);
    if (c.library !== 'Sorot' && c.indexed !== undefined && entry.corpus.packed && c.indexed !== entry.corpus.packed) {
      notes.push(`${c.library}: indexed ${count(c.indexed)} articles, the pack holds ${count(entry.corpus.packed)}`);
    }
    if (c.skippedRecords) notes.push(`${c.library}: ${c.skippedRecords} records of the file left out (no id or body, or an id seen before)`);
    if (q.coldOnly || q.skipped) notes.push(`${c.library}: ${q.coldOnly} queries timed once only and ${q.skipped} not run (query time cap)`);
    if (c.exportNa) notes.push(`${c.library}: ${c.exportNa}`);
    if (q.errorCount) notes.push(`${c.library}: ${q.errorCount} queries failed, e.g. ${q.errors[0]}`);
    if (c.problems?.length) notes.push(`${c.library}: page errors, e.g. ${c.problems[0]}`);
  }
  lines.push('');
  return notes;
}

function uiLine(ui) {
  if (!ui) return null;
  if (ui.error) return `Sorot explorer (\`index.html?pack=\`): ${ui.error.startsWith('not run') ? '' : 'failed — '}${ui.error}`;
  const loading = ui.loadLongTasks ? `${ui.loadLongTasks} long task(s) > 50 ms while loading (longest ${ms(ui.loadLongTaskMaxMs)} ms)` : 'no long task > 50 ms while loading';
  const typing = ui.longTasks
    ? `**${ui.longTasks}**, ${ui.longTasksInKeys} of them inside timed keystrokes, the rest from clearing the box (longest ${ms(ui.longTaskMaxMs)} ms, ${ms(ui.longTaskTotalMs)} ms in all)`
    : '**0**';
  return `Sorot explorer (\`index.html?pack=\`): navigation → searchable **${ms(ui.searchableMs)} ms**, ${loading}; keystroke → results painted p50 **${ms(ui.keyP50)} ms**, p95 **${ms(ui.keyP95)} ms**, max ${ms(ui.keyMax)} ms over ${ui.keystrokes} keystrokes of ${ui.typed.length} queries; long tasks > 50 ms while typing: ${typing}.`;
}

/** Per kind (rows) and library (columns): success@10 · MRR@10 · p50; and the latency percentiles. */
function kindTables(entry, lines, { open }) {
  const cells = entry.cells.filter((c) => c.queries);
  if (!cells.length) return;
  const kinds = entry.queries.kinds;
  const perKind = entry.queries.list.reduce((m, q) => ({ ...m, [q.kind]: (m[q.kind] ?? 0) + 1 }), {});
  const cell = (s) => (s?.ran ? `${s.found}/${s.ran} · ${mrr(s.mrr)} · ${ms(s.p50)}` : '—');
  const head = `| kind | ${cells.map((c) => c.library).join(' | ')} |`;
  const rule = `|---|${cells.map(() => '---:').join('|')}|`;
  if (!open) lines.push('<details><summary>By kind of query: success@10 · MRR@10 · p50 ms</summary>', '');
  else lines.push('By kind of query — each cell: **found in the top 10 / queries · MRR@10 · p50 ms**:', '');
  lines.push(head, rule);
  for (const k of kinds) lines.push(`| ${k} (${perKind[k]}) | ${cells.map((c) => cell(c.queries.byKind[k])).join(' | ')} |`);
  lines.push(`| **all** (${entry.queries.list.length}) | ${cells.map((c) => cell(c.queries)).join(' | ')} |`);
  lines.push('');
  if (!open) lines.push('</details>', '');
  const lat = (s) => (s?.ran ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : '—');
  const sorot = cells.find((c) => c.facets);
  lines.push('<details><summary>Latency by kind of query: p50 / p95 / p99 ms</summary>', '');
  const extra = sorot ? [['Sorot + facets', sorot.facets], ['Sorot, ids only', sorot.bare]].filter(([, s]) => s) : [];
  lines.push(`| kind | ${cells.map((c) => c.library).join(' | ')}${extra.map(([name]) => ` | ${name}`).join('')} |`);
  lines.push(`|---|${cells.map(() => '---:').join('|')}${extra.map(() => '|---:').join('')}|`);
  for (const k of kinds) lines.push(`| ${k} | ${cells.map((c) => lat(c.queries.byKind[k])).join(' | ')}${extra.map(([, s]) => ` | ${lat(s.byKind[k])}`).join('')} |`);
  lines.push('', '</details>', '');
}

/**
 * Where the libraries agree and differ on the targets: per kind, queries no library found, found only
 * by Sorot, missed only by Sorot; and the first queries that no library found.
 */
function missTables(entry, lines) {
  const cells = entry.cells.filter((c) => c.runs?.length === entry.queries.list.length);
  const sorot = cells.find((c) => c.library === 'Sorot');
  if (!sorot || cells.length < 2) return;
  const found = (c, i) => Boolean(c.runs[i].rank);
  const ran = (c, i) => !c.runs[i].skipped && !c.runs[i].error;
  const others = cells.filter((c) => c !== sorot);
  const rows = entry.queries.kinds.map((k) => {
    const idx = entry.queries.list.map((q, i) => (q.kind === k ? i : -1)).filter((i) => i >= 0);
    const none = idx.filter((i) => cells.every((c) => ran(c, i) && !found(c, i)));
    const onlySorot = idx.filter((i) => found(sorot, i) && others.every((c) => ran(c, i) && !found(c, i)));
    const onlyOthers = idx.filter((i) => ran(sorot, i) && !found(sorot, i) && others.some((c) => found(c, i)));
    return { k, n: idx.length, none, onlySorot, onlyOthers };
  });
  const all = (f) => rows.reduce((s, r) => s + r[f].length, 0);
  lines.push(`<details><summary>Targets no library found (${all('none')}), found only by Sorot (${all('onlySorot')}), missed by Sorot but found by another (${all('onlyOthers')})</summary>`, '');
  lines.push('| kind | queries | no library | only Sorot | Sorot missed, another found |', '|---|---:|---:|---:|---:|');
  for (const r of rows) lines.push(`| ${r.k} | ${r.n} | ${r.none.length} | ${r.onlySorot.length} | ${r.onlyOthers.length} |`);
  lines.push('');
  const none = rows.flatMap((r) => r.none).sort((a, b) => a - b);
  if (none.length) {
    const shown = none.slice(0, 40);
    lines.push(`No library ranked the target in its top 10${none.length > shown.length ? ` (the first ${shown.length}; all in latest.json)` : ''}:`, '');
    lines.push('| kind | query | target | matches (Sorot) |', '|---|---|---|---:|');
    for (const i of shown) {
      const q = entry.queries.list[i];
      lines.push(`| ${q.kind} | \`${q.text.replaceAll('|', '\\|')}\` | ${q.target} | ${sorot.runs[i].total ?? '—'} |`);
    }
    lines.push('');
  }
  const missed = rows.flatMap((r) => r.onlyOthers).sort((a, b) => a - b).slice(0, 40);
  if (missed.length) {
    lines.push('Sorot missed, another library found:', '');
    lines.push(`| kind | query | target | ${others.map((c) => c.library).join(' | ')} |`, `|---|---|---|${others.map(() => '---:').join('|')}|`);
    for (const i of missed) {
      const q = entry.queries.list[i];
      lines.push(`| ${q.kind} | \`${q.text.replaceAll('|', '\\|')}\` | ${q.target} | ${others.map((c) => c.runs[i].rank ?? '—').join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('</details>', '');
}

function corpusLine(entry) {
  const c = entry.corpus;
  const q = entry.queries;
  const qsrc = q.given ? `from ${q.file}` : `\`sorot-bench --known-items\`${q.seed !== null ? ` (seed ${q.seed})` : ''}`;
  // The generator makes fewer than it aims for when too few titles qualify (generated corpora repeat titles).
  const short = q.perKind ? Object.entries(q.made).filter(([, n]) => n < q.perKind) : [];
  const shortText = short.length
    ? ` The generator made fewer than ${q.perKind} queries of ${short.map(([k, n]) => `${k} (${n})`).join(', ')}: too few titles qualify.`
    : '';
  return `Corpus: ${count(c.articles)} articles, ${mb(c.jsonlBytes)} MiB JSON Lines${c.jsonlGzip ? ' (gzip)' : ''}, ${mb(c.textBytes)} MiB of article text; \`sorot pack\`: ${c.packed !== null ? `${count(c.packed)} articles, ` : ''}${c.terms ?? '?'} terms, ${seconds(c.packMs)}. Queries: ${q.list.length} known-item queries ${qsrc}, ${q.kinds.length} kinds; each names the article whose title it was made from.${shortText}`;
}

function markdown(result) {
  const lines = [];
  const m = result.machine;
  lines.push('# Sorot browser benchmark — latest run', '');
  lines.push(`Machine: ${m.cpu ?? 'unknown CPU'}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.chromium}; Node ${m.node}; ${m.date}. Sorot at ${m.revision}.`);
  const gen = result.options.sizes.length ? `; generated corpora of ${result.options.sizes.join(', ')} articles` : '';
  const only = result.options.coldOnly ? ' (--cold-start: only the cold start)' : '';
  lines.push(`Run: ${result.real.corpus.label}${gen}${result.options.quick ? ' (--quick)' : ''}${only}; took ${seconds(result.elapsedMs)}. See bench/README.md for what each number means.`, '');
  const f = result.floor;
  if (f && !f.error) {
    lines.push(`Keystroke → paint floor (a page that only echoes the key, same probe and keys): p50 **${ms(f.keyP50)} ms**, p95 **${ms(f.keyP95)} ms** over ${f.keystrokes} keystrokes. The explorer's keystroke numbers below include this.`, '');
  }
  const section = (entry, title, { open }) => {
    lines.push(title, '');
    lines.push(corpusLine(entry), '');
    if (entry.corpus.packProblems?.length) lines.push(`\`sorot pack\` left some records out: ${entry.corpus.packProblems.map((l) => `\`${l.trim()}\``).join('; ')}`, '');
    const why = [...entry.queries.dropped.reduce((m, d) => m.set(d.why, [...(m.get(d.why) ?? []), d]), new Map())];
    if (why.length) lines.push(`Queries of the generator left out: ${why.map(([w, ds]) => `${ds.length} because ${w} (e.g. ${ds[0].kind} \`${ds[0].text}\`, ${ds[0].target})`).join('; ')}.`, '');
    const notes = mainTable(entry, lines);
    const ui = uiLine(entry.ui);
    if (ui) lines.push(ui, '');
    for (const n of notes) lines.push(`- ${n}`);
    if (notes.length) lines.push('');
    if (entry.queries.list.length) {
      kindTables(entry, lines, { open });
      missTables(entry, lines);
    }
  };
  if (result.options.coldOnly) lines.push(corpusLine(result.real), '');
  else section(result.real, `## ${result.real.corpus.label} (${count(result.real.corpus.articles)} real news articles)`, { open: true });
  if (result.coldStart) lines.push(...coldStartMarkdown(result.coldStart, result.real.corpus));
  if (result.generated.length) {
    lines.push('## Generated corpora', '');
    lines.push('Recombinations of the 3,921 sentences of `../shared/data/ner` (`sorot-bench --write-jsonl`), each with its own known-item queries. Articles share sentences, so at larger sizes more articles carry a title\'s words; compare libraries within a size.', '');
    for (const entry of result.generated) section(entry, `### ${count(entry.corpus.articles)} generated articles`, { open: false });
  }
  return lines.join('\n');
}

/** Every library on one corpus, then the explorer on its pack. `stopped`/`previous` carry across sizes. */
async function runCorpus({ browser, base, site, corpus, queries, lim, exportsDir, libraries, previous = {}, stopped = {} }) {
  const cells = [];
  for (const lib of libraries.filter((l) => TABLE_LIBRARIES.includes(l))) {
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
    log(`${corpus.label}: ${NAMES[lib]}`);
    const t0 = performance.now();
    const cell = await runCell({ browser, base, site, lib, corpus, queries, lim, exportsDir });
    const q = cell.queries;
    log(`  ${seconds(performance.now() - t0)}: ${cell.error ?? cell.note ?? `build/load ${ms(cell.buildMs)} ms, p50 ${ms(q?.p50)} ms, success@10 ${pct(q)}, MRR ${mrr(q?.mrr)}, heap ${mb(cell.heapBytes)} MB`}`);
    if (cell.error || cell.note) stopped[lib] = `skipped from ${corpus.articles} articles on: ${cell.error ?? cell.note}`;
    else previous[lib] = { articles: corpus.articles, buildMs: cell.buildMs };
    cells.push(cell);
  }
  log(`${corpus.label}: Sorot explorer`);
  const probeWord = probeWordFor(queries.list, corpus.sampleWords);
  // When Sorot's own cell could not load the pack (say, a pack format the bundle does not read), the
  // explorer cannot either: say so instead of waiting minutes for it.
  const unreadable = cells.find((c) => c.library === 'Sorot' && c.error?.startsWith('build:'));
  const ui = unreadable
    ? { error: `not run: Sorot could not load the pack (${unreadable.error})` }
    : probeWord
      ? await runUi({ browser, base, corpus, queries, lim, probeWord })
      : { error: 'not run: no word of 6 letters or more that the seed corpus lacks, in the queries or the first articles' };
  ui.probeWord = probeWord;
  log(`  ${ui.error ?? `searchable ${ms(ui.searchableMs)} ms, keystroke p50 ${ms(ui.keyP50)} ms, ${ui.longTasks} long tasks`}`);
  const { ids, titled, sampleWords, ...described } = corpus;
  return { corpus: described, queries, cells, ui };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // bench/run.sh checks the options before it spends minutes building.
  if (process.env.SOROT_BENCH_CHECK_ARGS) return;
  const lim = limits(options.quick);
  const began = performance.now();
  const benchmarked = revision();
  mkdirSync(join(WORK, 'corpora'), { recursive: true });

  log(`packing ${options.corpus}`);
  const real = prepareReal(options.corpus);
  log(`  ${real.articles} articles packed in ${seconds(real.packMs)}: ${mb(real.packBytes)} MiB`);
  log(options.queries ? `queries from ${options.queries}` : 'known-item queries (sorot-bench --known-items)');
  const realQueries = { ...knownItems(real, options.queries, lim.perKind), given: Boolean(options.queries) };
  log(`  ${realQueries.list.length} queries: ${realQueries.kinds.join(', ')}`);
  const generated = [];
  for (const n of options.sizes) {
    log(`writing and packing ${n} generated articles, and their queries`);
    const corpus = prepareGenerated(n);
    generated.push({ corpus, queries: { ...knownItems(corpus, null, lim.perKind), given: false } });
    log(`  packed in ${seconds(corpus.packMs)}: ${mb(corpus.packBytes)} MiB; ${generated.at(-1).queries.list.length} queries`);
  }
  // The cold-start phase's libraries; Pagefind's bundle of the real corpus (cached by its content).
  const coldLibraries = options.libraries.filter((l) => COLD_LIBRARIES.includes(l));
  let pagefind = null;
  if (coldLibraries.includes('pagefind')) {
    log('Pagefind bundle of the corpus (Node API, cached in target/bench/pagefind/)');
    try {
      pagefind = await preparePagefind({ work: WORK, jsonl: real.jsonl, log });
      log(`  ${pagefindLine(pagefind)}`);
    } catch (e) {
      pagefind = { error: reason(e) };
      log(`  failed: ${e.stack ?? e}`);
    }
  }

  const site = makeSite(pagefind?.bundle);
  const { server, url: base, exports: exportsDir, traffic } = await startServer(site.site);
  log(`serving ${site.site} at ${base}`);
  // The cold start also over HTTP/2, as static hosts and CDNs serve.
  const tls = coldLibraries.length ? benchCertificate(join(WORK, 'tls')) : null;
  const h2 = tls ? await startServer(site.site, tls) : null;
  if (h2) log(`and over HTTP/2 at ${h2.url}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      ...(tls ? [`--ignore-certificate-errors-spki-list=${tls.spki}`] : []),
      '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--disable-dev-shm-usage',
      '--js-flags=--expose-gc'],
  });
  const chromiumVersion = `Chromium ${browser.version()}`;

  let realEntry;
  const generatedEntries = [];
  let floor;
  let cold = null;
  try {
    if (!options.coldOnly) {
      // The floor of keystroke → paint on this browser and machine: the same probe and keys on a page
      // that only echoes what is typed.
      log('keystroke floor (calibration page)');
      floor = await runUi({ browser, base, corpus: real, queries: realQueries, lim, probeWord: 'kalibrasi', path: 'harness/echo.html' });
      log(`  ${floor.error ?? `keystroke p50 ${ms(floor.keyP50)} ms, p95 ${ms(floor.keyP95)} ms`}`);
      realEntry = await runCorpus({ browser, base, site, corpus: real, queries: realQueries, lim, exportsDir, libraries: options.libraries });
    }
    if (coldLibraries.length) {
      log(`cold start over a throttled network (${THROTTLE_TEXT}): ${coldLibraries.map((l) => NAMES[l]).join(', ')}`);
      const t0 = performance.now();
      cold = await runColdStart({
        browser,
        servers: [
          { protocol: 'HTTP/1.1', base, traffic },
          { protocol: 'HTTP/2', base: h2.url, traffic: h2.traffic },
        ],
        corpus: real,
        queryList: realQueries.list,
        probeWord: probeWordFor(realQueries.list, real.sampleWords),
        libraries: coldLibraries,
        later: lim.coldLater,
        pagefind,
        log,
      });
      cold.phaseMs = performance.now() - t0;
      cold.pagefind = pagefind;
      log(`  cold start took ${seconds(cold.phaseMs)}`);
    }
    if (!options.coldOnly) {
      const previous = {}; // lib → { articles, buildMs } of its last completed size
      const stopped = {}; // lib → why larger sizes are skipped
      for (const g of generated) {
        generatedEntries.push(await runCorpus({ browser, base, site, ...g, lim, exportsDir, libraries: options.libraries, previous, stopped }));
      }
    }
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
    if (h2) await new Promise((done) => h2.server.close(done));
  }
  if (!realEntry) {
    // --cold-start: the corpus and its queries, without the tables of the other phases.
    const { ids, titled, sampleWords, ...described } = real;
    realEntry = { corpus: described, queries: realQueries, cells: [], ui: null };
  }

  // Compression after the browser is gone, so it never competes with a measurement.
  log('brotli sizes');
  const cachePath = join(WORK, 'brotli-cache.json');
  const cache = existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  for (const entry of [realEntry, ...generatedEntries]) {
    entry.corpus.packBrotli = await brotliSize(entry.corpus.pack, cache);
    for (const c of entry.cells) if (c.rawFile && existsSync(c.rawFile)) c.brotliBytes = await brotliSize(c.rawFile, cache);
  }
  writeFileSync(cachePath, JSON.stringify(cache));

  const result = {
    machine: machine(chromiumVersion, benchmarked),
    options: { ...options, limits: { ...lim, perKind: Number.isFinite(lim.perKind) ? lim.perKind : null }, brotli: `quality ${BROTLI_QUALITY}, window 2^24` },
    elapsedMs: performance.now() - began,
    floor,
    real: realEntry,
    coldStart: cold,
    generated: generatedEntries,
  };
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  // A cold start alone does not replace the last full run.
  const name = options.coldOnly ? 'cold-start' : 'latest';
  writeFileSync(join(BENCH, `results/${name}.json`), JSON.stringify(result, null, 1) + '\n');
  const md = markdown(result);
  writeFileSync(join(BENCH, `results/${name}.md`), md + '\n');
  console.log(md);
  log(`done in ${seconds(result.elapsedMs)}; free memory ${mb(freemem())} MiB`);
}

main().catch((e) => {
  console.error(`[bench] error: ${e instanceof OptionError ? e.message : e.stack ?? e}`);
  process.exit(1);
});
