// The benchmark's cold-start phase (issue #14's yardstick), used by bench/run.mjs: Sorot's explorer and
// Pagefind, each in a fresh browser context with Chromium's network throttled, from navigation to the
// first query's results and then a few later queries, with the bytes each step transferred. Also
// Pagefind's bundle of the corpus (built with its Node API, cached under target/bench/pagefind/).
//
// Bytes are counted twice: by the bench's server (every response's headers and body as written to its
// socket, so it sees everything, a dedicated worker's fetches included), and by CDP on the page's own
// target (Network.loadingFinished encodedDataLength), which does not see what a dedicated worker
// fetches (Pagefind's worker loads its index there). The server's count is the one reported.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gunzipSync } from 'node:zlib';
import { readRecords } from './page/records.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));

/**
 * Chromium's network in this phase (CDP Network.emulateNetworkConditions; throughputs in bytes per
 * second): issue #14's yardstick, 10 Mbit/s and 40 ms latency.
 */
export const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
export const THROTTLE_TEXT = `${THROTTLE.latency} ms latency, ${(THROTTLE.downloadThroughput * 8) / 1e6} Mbit/s down, ${(THROTTLE.uploadThroughput * 8) / 1e6} Mbit/s up`;
/** Issue #14's targets, printed beside the numbers (never enforced). */
export const TARGETS = { searchableMs: 300, firstMs: 500, firstBytes: 500_000, laterMs: 100 };
/** How many times each library's cold start runs; its times are the medians. */
export const REPEATS = 5;
/** How Pagefind's records are made; part of the cache key, so changing it rebuilds the bundle. */
const RECIPE = 'html: <html lang=id>, <h1> title (Pagefind\'s default heading weight), <p> per body line; forceLanguage id';
const BROTLI_QUALITY = 6;

const kB = (bytes) => (Number.isFinite(bytes) ? (bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0) : '—');
const ms = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const seconds = (v) => `${(v / 1000).toFixed(1)} s`;

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil(0.5 * sorted.length) - 1] : null;
}

function brotli(bytes) {
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * Pagefind's bundle of a JSON Lines corpus, as a news site would give it its articles: one HTML page
 * per article (`<html lang="id">`, the title as its `<h1>`, which Pagefind weights as a heading and
 * takes as the result's title, the body as paragraphs), indexed with Pagefind's Node API and
 * `forceLanguage: 'id'` (its Indonesian stemmer). As `sorot pack` does, a record without an id or body,
 * or with an id seen before, is left out. Cached in target/bench/pagefind/KEY/ by the corpus's
 * content, Pagefind's version and how records are made; the sizes (raw and brotli) are measured once,
 * when it is built.
 */
export async function preparePagefind({ work, jsonl, log }) {
  const version = JSON.parse(readFileSync(join(BENCH, 'node_modules/pagefind/package.json'), 'utf8')).version;
  const corpusBytes = readFileSync(jsonl);
  const corpusSha = createHash('sha256').update(corpusBytes).digest('hex');
  const key = createHash('sha256').update(`${corpusSha}\n${version}\n${RECIPE}`).digest('hex').slice(0, 16);
  const root = join(work, 'pagefind');
  const dir = join(root, key);
  const infoFile = join(dir, 'build.json');
  if (existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    return { ...info, bundle: join(dir, 'pagefind'), cached: true };
  }
  mkdirSync(root, { recursive: true });
  // Other keys are bundles of an older corpus or Pagefind: one is kept, the current.
  for (const old of readdirSync(root)) rmSync(join(root, old), { recursive: true, force: true });
  const tmp = `${dir}.tmp`;
  const out = join(tmp, 'pagefind');
  mkdirSync(tmp, { recursive: true });

  let text = (jsonl.endsWith('.gz') ? gunzipSync(corpusBytes) : corpusBytes).toString('utf8');
  const { articles, skipped } = readRecords(text);
  const records = articles.map((a) => {
    const title = a.title.trim();
    const paragraphs = a.body.split(/\n+/).filter((p) => p.trim()).map((p) => `<p>${escapeHtml(p)}</p>`).join('');
    return {
      url: `/a/${encodeURIComponent(a.id)}`,
      content: `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${title ? `<h1>${escapeHtml(title)}</h1>` : ''}${paragraphs}</body></html>`,
    };
  });
  text = null;

  const pagefind = await import('pagefind');
  const t0 = performance.now();
  const errors = [];
  try {
    const made = await pagefind.createIndex({ forceLanguage: 'id' });
    if (!made.index) throw new Error(`pagefind.createIndex: ${made.errors.join('; ')}`);
    const { index } = made;
    // The service takes messages in turn; a few hundred in flight keep it busy without a huge queue.
    for (let i = 0; i < records.length; i += 256) {
      const answers = await Promise.all(records.slice(i, i + 256).map((r) => index.addHTMLFile(r)));
      for (const a of answers) if (a.errors.length) errors.push(a.errors[0]);
      if (errors.length > 20) throw new Error(`pagefind addHTMLFile: ${errors[0]}`);
    }
    const written = await index.writeFiles({ outputPath: out });
    if (written.errors.length) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
  } finally {
    await pagefind.close();
  }
  const buildMs = performance.now() - t0;

  const files = filesUnder(out).map((f) => {
    const bytes = readFileSync(f);
    return { path: relative(out, f), raw: bytes.length, brotli: brotli(bytes) };
  });
  const sum = (list, k) => list.reduce((s, f) => s + f[k], 0);
  const name = (f) => f.path.split('/').pop();
  // What a page loads before its first query: the entry file, the script, the language's wasm and the
  // index's meta file (and the worker script that pagefind.js starts, listed apart).
  const entry = files.filter((f) => ['pagefind-entry.json', 'pagefind.js'].includes(f.path) || /^wasm\.id\.pagefind$/.test(f.path) || /^pagefind\.[\w-]+\.pf_meta$/.test(f.path));
  const worker = files.find((f) => f.path === 'pagefind-worker.js');
  const search = files.filter((f) => /\.(pf_index|pf_fragment|pf_filter)$/.test(f.path));
  const info = {
    key,
    corpusSha,
    pagefindVersion: version,
    recipe: RECIPE,
    records: records.length,
    skippedRecords: skipped,
    addErrors: errors.length,
    buildMs,
    builtAt: new Date().toISOString(),
    files: files.length,
    rawBytes: sum(files, 'raw'),
    brotliBytes: sum(files, 'brotli'),
    entry: { files: entry.map((f) => ({ path: f.path, raw: f.raw, brotli: f.brotli })), raw: sum(entry, 'raw'), brotli: sum(entry, 'brotli') },
    worker: worker ? { raw: worker.raw, brotli: worker.brotli } : null,
    // The files a search loads from: index chunks and fragments (one per article unless Pagefind bundles them).
    searchFiles: {
      indexChunks: search.filter((f) => f.path.endsWith('.pf_index')).length,
      fragments: search.filter((f) => f.path.endsWith('.pf_fragment')).length,
      raw: sum(search, 'raw'),
      brotli: sum(search, 'brotli'),
    },
    // Pagefind's default UI files, written with every bundle but unused here.
    uiBytes: sum(files.filter((f) => /ui\.(js|css)$|highlight\.js$/.test(name(f))), 'raw'),
  };
  writeFileSync(join(tmp, 'build.json'), JSON.stringify(info, null, 1) + '\n');
  renameSync(tmp, dir);
  log(`  Pagefind ${version}: ${records.length} records in ${seconds(buildMs)}`);
  return { ...info, bundle: join(dir, 'pagefind'), cached: false };
}

/** One line about Pagefind's bundle, for the log and the Markdown. */
export function pagefindLine(pf) {
  const entry = pf.entry.files.map((f) => `${f.path} ${kB(f.raw)}`).join(', ');
  return `Pagefind ${pf.pagefindVersion} bundle: ${pf.records.toLocaleString('en-US')} articles indexed in ${seconds(pf.buildMs)}${pf.cached ? ' (cached build)' : ''}; ${pf.files.toLocaleString('en-US')} files, ${kB(pf.rawBytes)} kB raw, ${kB(pf.brotliBytes)} kB brotli (of which ${kB(pf.uiBytes)} kB its unused UI files); entry files ${kB(pf.entry.raw)} kB raw / ${kB(pf.entry.brotli)} kB brotli (${entry})${pf.worker ? `, plus pagefind-worker.js ${kB(pf.worker.raw)} kB` : ''}; ${pf.searchFiles.indexChunks} index chunks and ${pf.searchFiles.fragments.toLocaleString('en-US')} fragments, ${kB(pf.searchFiles.raw)} kB.`;
}

/**
 * The queries of the phase: a first query and `later` more, the known-item queries' plain words joined
 * by spaces (what both libraries get), one kind after another, none the explorer's probe word.
 */
export function coldQueries(list, probeWord, later) {
  const order = ['two words', 'one word', 'three words', 'prefix', 'typo', 'stemmed', 'phrase'];
  const out = [];
  for (let round = 0; out.length < later + 1 && round < 10; round++) {
    for (const kind of order) {
      const q = list.filter((x) => x.kind === kind)[round];
      const text = q?.words.join(' ');
      if (q && text !== probeWord && !out.some((o) => o.text === text) && out.length < later + 1) out.push({ kind, text, target: q.target });
    }
  }
  return out;
}

/**
 * A fresh context with an empty cache, service workers blocked and the network throttled; a meter that
 * splits the bytes into phases (by when each request arrived) from the server's log and from CDP.
 */
async function throttledPage(browser, traffic) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  let label = 'before';
  const cdpPhase = new Map(); // requestId → phase
  const cdpBytes = {};
  // When the page had each file whole: a URL's path and query → ms since the epoch (CDP's
  // loadingFinished has the monotonic clock only; requestWillBeSent gives both, hence the offset).
  const pathOf = new Map(); // requestId → path and query
  const receivedAt = new Map();
  let epochOffset = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!cdpPhase.has(e.requestId)) cdpPhase.set(e.requestId, label);
    epochOffset ??= e.wallTime * 1000 - e.timestamp * 1000;
    const url = new URL(e.request.url);
    pathOf.set(e.requestId, url.pathname + url.search);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const p = cdpPhase.get(e.requestId) ?? label;
    cdpBytes[p] = (cdpBytes[p] ?? 0) + e.encodedDataLength;
    const path = pathOf.get(e.requestId);
    if (path !== undefined && !receivedAt.has(path)) receivedAt.set(path, e.timestamp * 1000 + epochOffset);
  });
  traffic.log.length = 0;
  const meter = {
    phase(name) {
      label = name;
      traffic.label = name;
    },
    /** Bytes of the requests that arrived during phase `name`: the server's count, requests, CDP's. */
    async bytes(name) {
      await new Promise((ok) => setTimeout(ok, 150)); // late loadingFinished events and 'close's
      const mine = traffic.log.filter((r) => r.label === name);
      return {
        bytes: mine.reduce((s, r) => s + r.bytes, 0),
        requests: mine.length,
        unfinished: mine.filter((r) => !r.done).length,
        files: mine.map((r) => ({ url: r.url.split('?')[0], bytes: r.bytes })),
        cdpBytes: cdpBytes[name] ?? 0,
      };
    },
    /**
     * The server's bytes for the requests of phase `name` that the page (its own target: not a
     * dedicated worker's) had received whole by `wallMs` (ms since the epoch), and how many.
     */
    bytesReceivedBy(name, wallMs) {
      const mine = traffic.log.filter((r) => r.label === name && receivedAt.get(r.url) <= wallMs);
      return { bytes: mine.reduce((s, r) => s + r.bytes, 0), requests: mine.length };
    },
    /**
     * What arrived after a phase had ended and before the next began (after a query's results were
     * painted, say), all such gaps together; waits a moment first for what the last step started.
     */
    async after() {
      await new Promise((ok) => setTimeout(ok, 500));
      const mine = traffic.log.filter((r) => r.label.startsWith('after '));
      return {
        bytes: mine.reduce((s, r) => s + r.bytes, 0),
        requests: mine.length,
        files: mine.map((r) => ({ after: r.label.slice(6), url: r.url.split('?')[0], bytes: r.bytes })),
      };
    },
    async close() {
      traffic.label = null;
      await context.close().catch(() => {});
    },
  };
  return { page, meter };
}

/**
 * A fresh context (empty cache, service workers blocked) with one page whose network is throttled as
 * the cold start's (`THROTTLE`): its CDP session is returned too, for the page's network events.
 */
export async function throttledContext(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  return { context, page, cdp };
}

/** In the explorer: the whole query put into the box at once (one input event), until its results are painted. */
export function enterSorot(text) {
  const p = window.__probe;
  const input = document.getElementById('search-input');
  const t0 = performance.now();
  window.__queryT0 = t0;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  return (async () => {
    let end = await p.quiet();
    // A corpus still loading shows .loading: wait for it to go, then for the DOM to settle again.
    for (let i = 0; i < 600 && document.querySelector('.loading'); i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      end = await p.quiet();
    }
    // The paint of the last change, not the first frame after this loop looked again (up to 50 ms
    // later): what the reader saw when.
    end = p.lastChangePainted() ?? end;
    return {
      ms: end - t0,
      status: document.querySelector('.search .status')?.textContent ?? '',
      shown: document.querySelectorAll('.result-list .result').length,
      // A split pack: the results are complete, their facets' pieces still on the way.
      facetsPending: document.querySelector('.facets-pane[aria-busy="true"]') !== null,
    };
  })();
}

async function coldSorot({ browser, base, packUrl, library, texts, probeWord, traffic, probeScript }) {
  const row = { library, how: `explorer index.html?pack=${packUrl.slice(1)}` };
  const { page, meter } = await throttledPage(browser, traffic);
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.addInitScript({ content: `(${probeScript.trim().replace(/;$/, '')})(${JSON.stringify(probeWord)});` });
    meter.phase('navigation');
    await page.goto(`${base}index.html?pack=${packUrl.slice(1)}`);
    await page.waitForFunction(() => window.__probe?.searchableAt !== null, null, { timeout: 240_000, polling: 50 });
    meter.phase('after navigation');
    row.searchableMs = await page.evaluate(() => window.__probe.searchableAt);
    row.readyMs = await page.evaluate(() => window.__probe.readyAt);
    row.navigation = await meter.bytes('navigation');
    // What the page had received when the probe's results were painted (its facets' pieces come after).
    const origin = await page.evaluate(() => performance.timeOrigin);
    row.navigation.untilSearchable = meter.bytesReceivedBy('navigation', origin + row.searchableMs);
    await queries(page, meter, row, texts, enterSorot);
  } catch (e) {
    row.error = String(e?.message ?? e).split('\n')[0].slice(0, 200);
  } finally {
    row.after = await meter.after();
    if (problems.length) row.problems = problems.slice(0, 5);
    await meter.close();
  }
  return row;
}

async function coldPagefind({ browser, base, texts, traffic }) {
  const row = { library: 'Pagefind', how: 'harness/pagefind.html: pagefind.js from /pagefind/, its worker, search() and data() of the top 10' };
  const { page, meter } = await throttledPage(browser, traffic);
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(m.text()));
  try {
    meter.phase('navigation');
    await page.goto(`${base}harness/pagefind.html`);
    await page.waitForFunction(() => window.__pf?.readyAt != null || window.__pf?.error, null, { timeout: 120_000, polling: 50 });
    meter.phase('after navigation');
    const ready = await page.evaluate(() => ({ readyAt: window.__pf.readyAt, initAt: window.__pf.initAt, error: window.__pf.error }));
    if (ready.error) throw new Error(`init: ${ready.error}`);
    row.searchableMs = ready.readyAt;
    row.readyMs = ready.readyAt;
    row.initReturnedMs = ready.initAt;
    row.navigation = await meter.bytes('navigation');
    await queries(page, meter, row, texts, (text) => window.__pf.enter(text));
  } catch (e) {
    row.error = String(e?.message ?? e).split('\n')[0].slice(0, 200);
  } finally {
    row.after = await meter.after();
    if (problems.length) row.problems = problems.slice(0, 5);
    await meter.close();
  }
  return row;
}

/** The first query, then the later ones, each its own phase of the meter. */
async function queries(page, meter, row, texts, enter) {
  row.later = [];
  for (const [i, q] of texts.entries()) {
    const name = `query ${i}`;
    meter.phase(name);
    const r = await page.evaluate(enter, q.text);
    meter.phase(`after ${name}`);
    const run = { text: q.text, kind: q.kind, target: q.target, ...r, ...(await meter.bytes(name)) };
    if (r.facetsPending) {
      // The facets of the results, which come after them: until they are painted, and their bytes.
      run.facetsMs = await page.evaluate(async () => {
        while (document.querySelector('.facets-pane[aria-busy="true"]')) await new Promise((ok) => setTimeout(ok, 20));
        const end = await window.__probe.quiet();
        return (window.__probe.lastChangePainted() ?? end) - window.__queryT0;
      });
      run.facetsBytes = (await meter.bytes(`after ${name}`)).bytes;
    }
    if (r.urls) {
      const at = r.urls.indexOf(`/a/${encodeURIComponent(q.target)}`);
      run.targetRank = at >= 0 ? at + 1 : null;
      delete run.urls;
    }
    if (i === 0) row.first = run;
    else row.later.push(run);
    await page.waitForTimeout(100); // a short pause between queries, as a reader would make
  }
  row.laterP50Ms = median(row.later.map((r) => r.ms));
}

/**
 * The phase: Sorot's explorer and Pagefind, each from a fresh context, on the same queries, served by
 * each of `servers` in turn (`{ protocol, base, traffic }`: bench/run.mjs's startServer, whose
 * `traffic` is its log of responses, tagged with the phase they arrived in). The whole pack, one large
 * file whose time does not hang on the protocol, only by the first.
 */
export async function runColdStart({ browser, servers, corpus, queryList, probeWord, libraries, later, pagefind, log }) {
  const texts = coldQueries(queryList, probeWord, later);
  const out = { throttle: THROTTLE, targets: TARGETS, queries: texts, probeWord, rows: [] };
  const probeScript = readFileSync(join(BENCH, 'page/ui-probe.js'), 'utf8');
  for (const [s, { protocol, base, traffic }] of servers.entries()) {
    // Sorot twice: the whole pack, and the split pack (`sorot pack --split`) by its entry file.
    const runs = libraries.flatMap((lib) =>
      lib === 'sorot'
        ? [
            ...(s === 0 ? [{ lib, library: 'Sorot, whole pack', packUrl: corpus.packUrl }] : []),
            ...(corpus.splitUrl ? [{ lib, library: 'Sorot, split pack', packUrl: corpus.splitUrl }] : []),
          ]
        : [{ lib }],
    );
    for (const { lib, library, packUrl } of runs) {
      const t0 = performance.now();
      const once = async () => {
        if (lib === 'sorot') {
          return probeWord ? await coldSorot({ browser, base, packUrl, library, texts, probeWord, traffic, probeScript }) : { library, error: 'not run: no probe word' };
        } else if (pagefind?.error) {
          return { library: 'Pagefind', error: `not run: the bundle could not be built (${pagefind.error})` };
        }
        return await coldPagefind({ browser, base, texts, traffic });
      };
      // One run's times vary by tens of ms on a shared machine: each library runs REPEATS times (the
      // whole pack, a 34 MB download, once) and its times are the medians; bytes and the per-query
      // details are the first run's (the bytes are the same each time).
      const row = await once();
      row.protocol = protocol;
      const repeats = library === 'Sorot, whole pack' ? 1 : REPEATS;
      const tries = [row];
      for (let i = 1; i < repeats && !row.error; i++) tries.push(await once());
      const ok = tries.filter((r) => !r.error && r.first);
      if (ok.length > 1) {
        row.runs = ok.map((r) => ({ readyMs: r.readyMs, searchableMs: r.searchableMs, firstMs: r.first.ms, laterP50Ms: r.laterP50Ms, firstFacetsMs: r.first.facetsMs }));
        row.readyMs = median(ok.map((r) => r.readyMs));
        row.searchableMs = median(ok.map((r) => r.searchableMs));
        row.first.ms = median(ok.map((r) => r.first.ms));
        row.laterP50Ms = median(ok.map((r) => r.laterP50Ms));
        if (row.first.facetsMs !== undefined) row.first.facetsMs = median(ok.map((r) => r.first.facetsMs ?? r.first.ms));
      }
      row.phaseMs = performance.now() - t0;
      log(`  ${row.library}, ${protocol} (${seconds(row.phaseMs)}): ${row.error ?? `searchable ${ms(row.searchableMs)} ms, ${kB(row.navigation?.bytes)} kB; first query ${ms(row.first?.ms)} ms, ${kB(row.first?.bytes)} kB; later p50 ${ms(row.laterP50Ms)} ms, ${row.later.map((r) => `${kB(r.bytes)} kB`).join(' · ')}`}`);
      out.rows.push(row);
    }
  }
  return out;
}

/**
 * The HTTP/2 server's certificate for 127.0.0.1 (made once with openssl, kept in `dir`), and its
 * key's SPKI hash: Chromium launched with `--ignore-certificate-errors-spki-list` takes it as valid,
 * so the page caches and connects as it would on a real host.
 */
export function benchCertificate(dir) {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '3650', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  }
  const pem = readFileSync(cert);
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return { key: readFileSync(key), cert: pem, spki: createHash('sha256').update(spki).digest('base64') };
}

/** The phase's Markdown: the table, the throttling, Pagefind's bundle, and each query. */
export function coldStartMarkdown(cold, corpus) {
  const lines = ['## Cold start over a throttled network', ''];
  lines.push(`Each library in a fresh browser context (empty cache, service workers blocked), Chromium's network throttled with CDP \`Network.emulateNetworkConditions\`: **${THROTTLE_TEXT}**, on ${corpus.label} (${corpus.articles.toLocaleString('en-US')} articles). Each is served twice, from the same files: over HTTP/1.1 (Chromium opens at most six connections to a host, so a seventh request waits for one of them), and over HTTP/2 with TLS (one connection, every request at once), as static hosts and CDNs serve today; the whole pack, one large file, only over HTTP/1.1. Bytes are what the bench server sent (headers and bodies — over HTTP/2 the bodies, their frames' headers and the response headers as uncompressed HPACK literals, TLS records not counted; as a static host does, it compresses text and wasm with brotli for a browser that accepts it, and sends packs, split-pack pieces and Pagefind's files as they are: those are compressed in the file or not at all), 1 kB = 1000 bytes. Queries: the known-item queries' words joined by spaces, each put into the search box at once (one input event), timed to the paint of its results. Times are the medians of ${REPEATS} runs, each in a fresh context (the whole pack: one run); bytes and the rows of each query are the first run's.`, '');
  const t = cold.targets;
  lines.push('| library | served over | navigation → ready ms | navigation → searchable ms (kB received by then) | first query → painted ms | first query kB (with navigation / its own) | later queries p50 ms | later queries kB each | facets after the results: ms, kB (first query; later p50) |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---|---|');
  lines.push(`| *issue #14 target* | | | ≤ ${t.searchableMs} | ≤ ${t.firstMs} | ≤ ${kB(t.firstBytes)} (with navigation) | ≤ ${t.laterMs} | mostly cache hits | |`);
  const notes = [];
  // A row's name in the notes and the columns of the queries' table.
  const name = (r) => (r.protocol ? `${r.library}, ${r.protocol}` : r.library);
  for (const r of cold.rows) {
    if (r.error || !r.first) {
      lines.push(`| ${r.library} | ${r.protocol ?? ''} | failed | | | | | | |`);
      notes.push(`${name(r)}: ${r.error ?? 'no query ran'}`);
      continue;
    }
    const total = r.navigation.bytes + r.first.bytes;
    const withFacets = [r.first, ...r.later].filter((q) => q.facetsMs !== undefined);
    const facets = withFacets.length
      ? `${r.first.facetsMs !== undefined ? `${ms(r.first.facetsMs)}, ${kB(r.first.facetsBytes)}` : '—'}; ${ms(median(r.later.map((q) => q.facetsMs ?? q.ms)))} ms, ${kB(median(r.later.map((q) => q.facetsBytes ?? 0)))} kB`
      : '(with the results)';
    lines.push(`| ${r.library} | ${r.protocol ?? ''} | ${ms(r.readyMs)} | ${r.library === 'Pagefind' ? '(ready)' : `${ms(r.searchableMs)}${r.navigation.untilSearchable ? ` (${kB(r.navigation.untilSearchable.bytes)})` : ''}`} | ${ms(r.first.ms)} | ${kB(total)} / ${kB(r.first.bytes)} | ${ms(r.laterP50Ms)} | ${r.later.map((q) => kB(q.bytes)).join(' · ')} | ${facets} |`);
    // Service workers are blocked (the context's serviceWorkers: 'block'), so register() gives the
    // explorer's register-sw.js no registration; the explorer phase's latest.json has the same message.
    const problems = (r.problems ?? []).filter((m) => !/reading 'waiting'/.test(m));
    if (problems.length) notes.push(`${name(r)}: page messages, e.g. ${problems[0].slice(0, 200)}`);
    if (r.runs) notes.push(`${name(r)}, each run's navigation → ready / searchable / first query ms: ${r.runs.map((x) => `${ms(x.readyMs)} / ${ms(x.searchableMs)} / ${ms(x.firstMs)}`).join(', ')}.`);
    const facetBytes = [r.first, ...r.later].reduce((sum, q) => sum + (q.facetsBytes ?? 0), 0);
    if (facetBytes) notes.push(`${name(r)}: the facets' pieces (${kB(facetBytes)} kB in all) were fetched after each query's results were painted; they are in the facets column, not in the query's bytes.`);
    if (r.after?.requests && r.after.bytes > facetBytes) {
      const urls = [...new Set(r.after.files.map((f) => f.url))].slice(0, 4).join(', ');
      notes.push(`${name(r)}: ${r.after.requests} requests (${kB(r.after.bytes)} kB) started after a step had painted, before the next began, so in no number above: ${urls}.`);
    }
    const cdpMissed = [r.navigation, r.first, ...r.later].reduce((s, p) => s + (p.bytes - p.cdpBytes), 0);
    if (r.library === 'Pagefind' && cdpMissed > 1000) notes.push(`${name(r)}: CDP on the page's target saw ${kB(cdpMissed)} kB fewer than the server sent: what its dedicated worker fetched (the wasm, the meta file, index chunks and fragments).`);
  }
  lines.push('');
  for (const n of notes) lines.push(`- ${n}`);
  if (notes.length) lines.push('');
  for (const sorot of cold.rows.filter((r) => r.library.startsWith('Sorot') && r.navigation)) {
    const big = [...sorot.navigation.files].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((f) => `${f.url} ${kB(f.bytes)} kB`).join(', ');
    lines.push(`${name(sorot)}: navigation → ready is when the explorer first has its search box and its results pane (it shows no results pane while its corpus loads); navigation → searchable is the explorer's own probe (the word \`${cold.probeWord}\` put into the box as soon as it exists, until the first paint with articles found), so it includes one search; its navigation fetched ${sorot.navigation.requests} files, ${kB(sorot.navigation.bytes)} kB (largest: ${big})${sorot.navigation.untilSearchable ? `, of which the page had received ${sorot.navigation.untilSearchable.requests} files, ${kB(sorot.navigation.untilSearchable.bytes)} kB, when the probe's results were painted (the rest: what its facets needed, after them)` : ''}. A query is timed until the explorer shows no loading bar and its page stopped changing (for the split pack: the pieces the results need, then those their facets need).`, '');
  }
  const pf = cold.rows.find((r) => r.library === 'Pagefind' && r.navigation);
  if (pf) {
    lines.push(`Pagefind's navigation → ready (no search in it: its first query is the next column): \`harness/pagefind.html\` imports \`/pagefind/pagefind.js\`, \`pagefind.init()\` returned at ${ms(pf.initReturnedMs)} ms (it only starts the worker), then \`pagefind.filters()\`, which waits for the worker to have loaded the entry file, the meta file and the wasm; ready at the next paint. ${pf.navigation.requests} files, ${kB(pf.navigation.bytes)} kB. Each query: \`search(q)\`, \`data()\` of the first 10 results, their titles rendered as a list.`, '');
  }
  if (cold.pagefind && !cold.pagefind.error) lines.push(pagefindLine(cold.pagefind), '');
  else if (cold.pagefind?.error) lines.push(`Pagefind bundle: not built (${cold.pagefind.error}).`, '');
  lines.push('<details><summary>Each query: ms to painted · kB transferred · requests · results shown / found</summary>', '');
  const rows = cold.rows.filter((r) => r.first);
  lines.push(`| query | kind | ${rows.map(name).join(' | ')} |`, `|---|---|${rows.map(() => '---:').join('|')}|`);
  for (const [i, q] of cold.queries.entries()) {
    const cell = (r) => {
      const x = i === 0 ? r.first : r.later[i - 1];
      if (!x) return '—';
      const found = x.total !== undefined ? `${x.shown}/${x.total}` : `${x.shown} (${x.status.trim()})`;
      const facets = x.facetsMs !== undefined ? ` (facets ${ms(x.facetsMs)} · ${kB(x.facetsBytes)})` : '';
      return `${ms(x.ms)} · ${kB(x.bytes)} · ${x.requests} · ${found}${facets}`;
    };
    lines.push(`| ${i === 0 ? '**first** ' : ''}\`${q.text}\` | ${q.kind} | ${rows.map(cell).join(' | ')} |`);
  }
  lines.push('', '</details>', '');
  return lines;
}
