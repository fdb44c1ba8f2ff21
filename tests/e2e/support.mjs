// Shared set-up for the end-to-end suite: serve the release bundle on loopback, launch Debian's
// Chromium through playwright-core, and watch every page for errors and foreign requests.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/server.mjs';

export const DIST = process.env.SOROT_DIST ?? 'target/e2e-dist';
export const SCREENSHOTS = 'target/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Starts the server (on `dir`, adding `headers` to every response) and the browser; returns helpers
 * and a `close()` for `after`.
 */
export async function start({ dir = DIST, headers = {} } = {}) {
  const { server, url } = await serve(dir, { port: 0, headers });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });

  /**
   * Opens the explorer in a new context. `problems` collects console errors, page errors, failed
   * requests, HTTP errors and any request that leaves the test server. `pages` are served as well, as
   * `{ 'name.html': html }` next to the build's files; `routes` (`[[pattern, handler]]`) are installed
   * with `context.route` before the page opens.
   */
  async function open({ path = '', init, pages = {}, routes = [], ...options } = {}) {
    const context = await browser.newContext({ locale: 'en-US', ...options });
    for (const [name, body] of Object.entries(pages)) {
      await context.route(url + name, (route) => route.fulfill({ contentType: 'text/html', body }));
    }
    for (const [pattern, handler] of routes) await context.route(pattern, handler);
    // A script to run in every page before its own (to record events, say).
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    // SOROT_E2E_CPU_SLOWDOWN=8 runs the page on an 8× slower CPU: timing races that only a slow CI
    // machine hits show up here too.
    const slowdown = Number(process.env.SOROT_E2E_CPU_SLOWDOWN ?? 1);
    if (slowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    }
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // A reload or navigation aborts requests still in flight; that is not the app failing.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    page.on('request', (r) => {
      const target = r.url();
      if (!target.startsWith(url) && !target.startsWith('data:') && !target.startsWith('blob:')) {
        problems.push(`request left the server: ${target}`);
      }
    });
    await page.goto(url + path);
    return { page, context, problems };
  }

  async function close() {
    await browser.close();
    await new Promise((done) => {
      server.close(done);
      server.closeAllConnections();
    });
  }

  return { url, browser, server, open, close };
}

/**
 * A page that runs `module` as a module script (after `body`) and reports its end, or its error, in
 * `window.__done`.
 */
export const modulePage = (module, body = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sorot</title>
<script>addEventListener('error', (e) => { window.__done = { error: String(e.message) }; });</script>
</head><body>${body}
<script type="module">
${module}
</script></body></html>`;

/**
 * Waits until the explorer shows what `query` finds. A status such as "1 article found" can still be
 * the previous query's (typing "rusuh" finds one article at "r" already); the explorer writes the view
 * into the URL once it is on screen, so `q=` in the hash names the query the page shows.
 */
export async function showsQuery(page, query) {
  await page.waitForFunction((q) => (new URLSearchParams(location.hash.slice(1)).get('q') ?? '') === q, query);
}

/** Waits until the form field `locator` holds `value` (the app sets it a render after the event). */
export async function fieldHolds(locator, value) {
  const field = await locator.elementHandle();
  await locator.page().waitForFunction(({ field, value }) => field.value === value, { field, value });
}

/** Runs axe-core in the page and returns its violations (rule id, impact, targets). */
export async function axeViolations(page) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result;
}

/**
 * Opens the fixture article whose title and body carry `<script>` and `<img onerror>` markup, and checks
 * that the markup shows as text and nothing of it ran.
 */
export async function openHostileArticle(page) {
  const hostile = page.getByRole('button', { name: /^Kremlin <script>alert\(1\)<\/script> responds to <img/ });
  await hostile.click();
  const article = page.getByRole('article');
  await article.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await article.getByRole('heading', { level: 1 }).innerText(), /<script>alert\(1\)<\/script>/);
  assert.match(await article.innerText(), /<img src=x onerror="window.__pwned=3;alert\(2\)">/);
  assert.equal(await page.locator('main script, main img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
}
