// One page load of the explorer on a split pack, as the cold start throttles it, written out as a
// timeline: every request (when it was asked for, its first byte, its end, its bytes), the probe's
// moments (ready, the probe word put in, results painted), the status line's changes and the long
// tasks. What the cold start's medians cannot say: where the time between navigation and the probe's
// results goes.
//
//   node bench/waterfall.mjs DIR [--pack PATH] [--probe WORD] [--http 1.1|2] [--runs N]
//
// DIR: an explorer build with a split pack in it (PATH, default corpora/ab/entry.sorot, as
// bench/ab.sh lays it out). Each run is a fresh context after one load not shown (the browser's own
// first-time work). Prints; never fails on timing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/server.mjs';
import { benchCertificate, THROTTLE_TEXT, throttledContext } from './cold-start.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
const USAGE = 'usage: node bench/waterfall.mjs DIR [--pack PATH] [--probe WORD] [--http 1.1|2] [--runs N]';

function options(args) {
  const out = { pack: 'corpora/ab/entry.sorot', probe: 'menhan', http: '2', runs: 1, dir: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${a} needs a value\n${USAGE}`);
      return args[++i];
    };
    if (a === '--pack') out.pack = value();
    else if (a === '--probe') out.probe = value();
    else if (a === '--http') out.http = value();
    else if (a === '--runs') out.runs = Number(value());
    else if (a.startsWith('--') || out.dir) throw new Error(`unexpected ${a}\n${USAGE}`);
    else out.dir = a;
  }
  if (!out.dir) throw new Error(USAGE);
  if (out.http !== '1.1' && out.http !== '2') throw new Error(`--http is 1.1 or 2\n${USAGE}`);
  if (!Number.isInteger(out.runs) || out.runs < 1) throw new Error(`--runs takes a whole number, at least 1\n${USAGE}`);
  return out;
}

/** Installed after the probe: when the status line and the loading bar change, ms since navigation. */
function watchStatus() {
  const log = [];
  window.__statusLog = log;
  let last = '';
  new MutationObserver(() => {
    const status = document.querySelector('.search .status')?.textContent ?? '';
    const loading = [...document.querySelectorAll('.loading')].map((e) => e.textContent.trim()).join(' | ');
    const now = `${status}${loading ? ` [${loading}]` : ''}`;
    if (now !== last) log.push({ at: performance.now(), text: now });
    last = now;
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

async function load(browser, base, o, probeScript) {
  const { context, page, cdp } = await throttledContext(browser);
  try {
    const requests = new Map();
    let epochOffset = null; // wall-clock ms − CDP monotonic ms
    cdp.on('Network.requestWillBeSent', (e) => {
      epochOffset ??= e.wallTime * 1000 - e.timestamp * 1000;
      const url = new URL(e.request.url);
      requests.set(e.requestId, { name: url.pathname.split('/').pop() + url.search, sent: e.timestamp * 1000 });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.firstByte = e.timestamp * 1000;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { end: e.timestamp * 1000, bytes: e.encodedDataLength });
    });
    await page.addInitScript({ content: `(${probeScript})(${JSON.stringify(o.probe)}); (${watchStatus})();` });
    await page.goto(`${base}index.html?pack=${o.pack}`);
    await page.waitForFunction(() => window.__probe?.searchableAt !== null, null, { timeout: 120_000, polling: 50 });
    await page.waitForFunction(() => !document.querySelector('.facets-pane[aria-busy="true"]'), null, { timeout: 60_000, polling: 50 });
    await page.waitForTimeout(300);
    const seen = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      probe: { ...window.__probe, keys: undefined, events: undefined },
      status: window.__statusLog,
    }));
    // CDP's monotonic ms → ms since navigation start.
    const since = (t) => (t === undefined ? NaN : t + epochOffset - seen.origin);
    const lines = [...requests.values()].map((r) => ({
      at: since(r.sent),
      text: `${r.name.slice(0, 44).padEnd(44)} first byte ${f(since(r.firstByte))}, end ${f(since(r.end))} ms, ${((r.bytes ?? 0) / 1000).toFixed(1)} kB`,
    }));
    const p = seen.probe;
    for (const [k, label] of [['readyAt', 'READY'], ['filledAt', 'PROBE WORD PUT IN'], ['loadedAt', 'RESULTS SHOWN'], ['searchableAt', 'RESULTS PAINTED (searchable)']]) {
      lines.push({ at: p[k], text: `** ${label}` });
    }
    for (const t of p.longTasks) lines.push({ at: t.start, text: `   long task ${f(t.duration)} ms` });
    for (const s of seen.status) lines.push({ at: s.at, text: `   status: ${s.text.slice(0, 90)}` });
    lines.sort((a, b) => a.at - b.at);
    return lines.map((l) => `${f(l.at).padStart(7)}  ${l.text}`).join('\n');
  } finally {
    await context.close();
  }
}

const f = (v) => (Number.isFinite(v) ? v.toFixed(0) : '—');

async function main() {
  const o = options(process.argv.slice(2));
  const probeScript = readFileSync(join(BENCH, 'page/ui-probe.js'), 'utf8').trim().replace(/;$/, '');
  const tls = o.http === '2' ? benchCertificate(join(ROOT, 'target/bench/tls')) : null;
  const { server, url } = await serve(o.dir, { port: 0, compress: true, tls });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...(tls ? [`--ignore-certificate-errors-spki-list=${tls.spki}`] : [])],
  });
  console.log(`waterfall over HTTP/${o.http}, ${THROTTLE_TEXT}; ${o.pack}, probe \`${o.probe}\``);
  try {
    await load(browser, url, o, probeScript);
    for (let i = 0; i < o.runs; i++) console.log(`\nload ${i + 1} (ms since navigation)\n${await load(browser, url, o, probeScript)}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`[waterfall] error: ${e.message}`);
    process.exit(1);
  },
);
