// The in-page half of the benchmark: bench/run.mjs opens harness.html once per (library, corpus)
// in a fresh browser context and calls these steps one by one with page.evaluate, so a step that runs
// out of time or memory loses only its own cell.
import { engines } from './engines.mjs';
import { readRecords } from './records.mjs';

let engine = null;
let baseline = 0;
let exported = null;
const UPLOAD_SLICE = 4 * 2 ** 20;

/** Collects garbage (Chromium started with --js-flags=--expose-gc) and lets finalisers run. */
async function collect() {
  for (let i = 0; i < 3; i++) {
    window.gc?.();
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const heapUsed = () => performance.memory?.usedJSHeapSize ?? NaN;

async function init({ lib, vendor, appJs, appWasm }) {
  engine = engines[lib];
  if (!engine) throw new Error(`unknown library ${lib}`);
  await engine.open({ vendor, appJs, appWasm });
  await collect();
  baseline = heapUsed();
  return { crossOriginIsolated: window.crossOriginIsolated, gc: typeof window.gc === 'function', baseline };
}

/**
 * The text of a JSON Lines file; one ending in .gz is decompressed as it downloads
 * (DecompressionStream), which counts as fetching.
 */
async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (!/\.gz$/i.test(new URL(url, location.href).pathname)) return response.text();
  return new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
}

/**
 * Sorot: fetch + decode the pack. Others: fetch + parse the JSON Lines, then index (timed apart). As
 * `sorot pack` does, a record without an id or body, or with an id seen before, is left out.
 */
async function build({ corpusUrl, packUrl, capMs }) {
  if (engine === engines.sorot) {
    const t0 = performance.now();
    const indexed = await engine.load(packUrl);
    return { buildMs: performance.now() - t0, indexed, capped: false };
  }
  const t0 = performance.now();
  let text = await fetchText(corpusUrl);
  const t1 = performance.now();
  const { articles, skipped: skippedRecords } = readRecords(text);
  text = null;
  const t2 = performance.now();
  const indexed = engine.build(articles, capMs);
  const t3 = performance.now();
  return { fetchMs: t1 - t0, parseMs: t2 - t1, buildMs: t3 - t2, indexed, capped: indexed < articles.length, total: articles.length, skippedRecords };
}

/** JS heap held by the index (after gc, minus the page with the library loaded) and wasm memory. */
async function memory() {
  await collect();
  const used = heapUsed();
  return { heapBytes: used - baseline, heapUsed: used, baseline, wasmBytes: engine.wasmBytes?.() ?? null };
}

/** Mean time of one search over repetitions (timers are coarse), for each query. */
async function queries({ list, minMs, minReps, maxReps, perQueryCapMs, phaseCapMs, sorot = {} }) {
  const headline = { snippets: true, facets: 0 };
  if (engine === engines.sorot) engine.options = { ...headline, ...sorot };
  const out = [];
  const phaseStart = performance.now();
  for (const q of list) {
    const elapsed = performance.now() - phaseStart;
    if (elapsed > 2 * phaseCapMs) {
      out.push({ kind: q.kind, skipped: true });
      continue;
    }
    let first;
    const c0 = performance.now();
    try {
      first = await engine.search(q);
    } catch (e) {
      out.push({ kind: q.kind, error: String(e.message ?? e) });
      continue;
    }
    const coldMs = performance.now() - c0;
    let reps = 0;
    const t0 = performance.now();
    let now = t0;
    if (elapsed <= phaseCapMs) {
      while (reps < maxReps && (reps < minReps || now - t0 < minMs) && now - t0 < perQueryCapMs) {
        engine.search(q);
        reps++;
        now = performance.now();
      }
    }
    out.push({
      kind: q.kind,
      ms: reps ? (now - t0) / reps : coldMs,
      coldMs,
      reps,
      coldOnly: reps === 0,
      total: first.total,
      ids: first.ids,
      // Known-item search: the target's place in the library's ranked top 10 (1 = first), or null.
      rank: first.ids.slice(0, 10).indexOf(q.target) + 1 || null,
    });
    // Let the page breathe between queries (timers, gc), as a real page would between keystrokes.
    await new Promise((ok) => setTimeout(ok, 0));
  }
  if (engine === engines.sorot) engine.options = headline;
  return out;
}

/** The library's own serialised index, uploaded to the runner (which measures raw and brotli bytes). */
async function exportIndex({ name }) {
  if (!engine.serialize) return { na: 'no export' };
  let parts;
  const t0 = performance.now();
  try {
    parts = await engine.serialize();
  } catch (e) {
    const why = String(e.message ?? e);
    return { na: /string length/i.test(why) ? `export failed: a part is longer than a JS string can be (2^29 characters): ${why}` : `export failed: ${why}` };
  }
  const serializeMs = performance.now() - t0;
  // Sent in slices of at most 4 Mi characters: the DevTools protocol copies every request body to
  // the runner, and one message must stay far below Node's 512 MiB string limit.
  let bytes = 0;
  let n = 0;
  for (const part of parts) {
    for (let at = 0; at < part.length; ) {
      let end = Math.min(part.length, at + UPLOAD_SLICE);
      if (end < part.length && /[\uD800-\uDBFF]/.test(part[end - 1])) end--; // keep surrogate pairs whole
      const body = part.slice(at, end);
      at = end;
      const response = await fetch(`/upload/${encodeURIComponent(name)}?part=${n++}`, { method: 'POST', body });
      if (!response.ok) return { na: `upload failed: HTTP ${response.status}` };
      bytes = (await response.json()).bytes;
    }
  }
  exported = parts;
  return { bytes, serializeMs, parts: parts.length, chars: parts.reduce((n, p) => n + p.length, 0) };
}

/** Time to make a searchable index again from the export (the JS libraries' counterpart of a pack). */
async function reload() {
  if (exported === null) return { na: 'no export' };
  await collect();
  const t0 = performance.now();
  engine.reload(exported);
  const reloadMs = performance.now() - t0;
  exported = null;
  engine.reloaded = null;
  return { reloadMs };
}

/** Sorot only: decode pack bytes already in memory (the pack's counterpart of `reload`). */
async function decode({ packUrl, times = 1 }) {
  const bytes = new Uint8Array(await (await fetch(packUrl)).arrayBuffer());
  const runs = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    engine.decode(bytes);
    runs.push(performance.now() - t0);
  }
  return { decodeMs: Math.min(...runs), decodeRuns: runs, wasmBytesAfterDecode: engine.wasmBytes() };
}

window.bench = { init, build, memory, queries, exportIndex, reload, decode };
window.benchReady = true;
