// The explorer as one file opened from disk with the network off: dist/sorot.html (the seed) and what
// `sorot bundle` makes of the fixture corpus, from its folder and from a pack.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DIST, SCREENSHOTS, openHostileArticle, showsQuery } from './support.mjs';

/** A `sorot` built with the app inside (scripts/lib.sh `build_cli`). */
const SOROT = process.env.SOROT_BIN ?? 'target/bin/sorot';
const SCRATCH = 'target/e2e-single-file';
const SEED_TITLE = /^Unit militer pimpinan Moskow/;

let browser;
before(async () => {
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

/**
 * Opens `path` as a file:// page in an offline context that refuses every request but the file itself
 * (with any query: teaching mode is the file with `?explain=1`).
 * `requests` lists every URL the pages of the context asked for; `problems` console and page errors.
 */
async function openFile(path, options = {}) {
  const url = pathToFileURL(resolve(path)).href;
  const context = await browser.newContext({ locale: 'en-US', offline: true, ...options });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => (route.request().url().split('?')[0] === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(url);
  return { url, page, context, requests, problems };
}

const resultsCount = (page) => page.getByRole('region', { name: /Results/ }).locator('.count');

/** Runs `sorot` and returns what it printed on stderr; fails the test with that text if it fails. */
function sorot(...args) {
  const run = spawnSync(SOROT, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, `${SOROT} ${args.join(' ')}: ${run.error ?? ''}${run.stderr}`);
  return run.stderr;
}

test('sorot.html from disk, offline: search, filter by an entity, read; no request but the file', async () => {
  const { url, page, context, requests, problems } = await openFile(`${DIST}/sorot.html`, {
    viewport: { width: 1440, height: 900 },
  });
  await page.getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.equal(await page.evaluate(() => location.protocol), 'file:');

  await page.getByRole('searchbox', { name: 'Search articles' }).pressSequentially('rusuh');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  await showsQuery(page, 'rusuh');
  const result = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: SEED_TITLE }) });
  assert.ok((await result.locator('.snippet mark').allInnerTexts()).includes('kerusuhan'));

  const facets = page.getByRole('complementary', { name: 'Entities' });
  await facets.getByRole('button', { name: /^Kassym Jomart-Tokayev 1 article/ }).click();
  const filters = page.getByRole('region', { name: 'Active filters' });
  await filters.getByText('Kassym Jomart-Tokayev').waitFor();
  await page.waitForFunction(() => location.hash.includes('in=PER:Kassym%20Jomart-Tokayev'));
  await resultsCount(page).filter({ hasText: '1 article' }).waitFor();

  await page.getByRole('button', { name: SEED_TITLE }).click();
  const article = page.getByRole('article', { name: SEED_TITLE });
  await article.waitFor();
  assert.match(await article.innerText(), /Presiden Kazakhstan Kassym Jomart-Tokayev menyebut minggu kekerasan/);
  assert.deepEqual(await article.locator('.body mark').allInnerTexts(), Array(6).fill('kerusuhan'));
  await page.screenshot({ path: `${SCREENSHOTS}/single-file-reader.png` });

  await page.locator('details.export').evaluate((d) => {
    d.open = true;
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Results (JSON)' }).click(),
  ]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(exported.map((r) => r.id), ['000_ce9894c18006a3a8']);

  assert.deepEqual(requests, [url]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('sorot bundle makes the fixture corpus one file, from its folder, its pack or its split pack; markup stays text', async () => {
  const fromFolder = `${SCRATCH}/fixtures.html`;
  const said = sorot('bundle', 'tests/fixtures', '-o', fromFolder);
  assert.match(said, /wrote .*fixtures\.html: 4 articles, \d+ bytes \(\d+\.\d MB; the pack is \d+ bytes\)/);
  sorot('pack', 'tests/fixtures', '-o', `${SCRATCH}/fixtures.pack`);
  sorot('bundle', `${SCRATCH}/fixtures.pack`, '-o', `${SCRATCH}/from-pack.html`);
  assert.ok(readFileSync(fromFolder).equals(readFileSync(`${SCRATCH}/from-pack.html`)), 'one page from either');
  sorot('pack', 'tests/fixtures', '--split', `${SCRATCH}/fixtures-split`);
  const fromSplit = sorot('bundle', `${SCRATCH}/fixtures-split`, '-o', `${SCRATCH}/from-split.html`);
  assert.match(fromSplit, /: 4 articles, /);
  assert.ok(readFileSync(fromFolder).equals(readFileSync(`${SCRATCH}/from-split.html`)), 'the same page from the split pack');

  const { url, page, context, requests, problems } = await openFile(fromFolder, { viewport: { width: 1280, height: 900 } });
  await resultsCount(page).filter({ hasText: '4 articles' }).waitFor();
  assert.equal(await page.getByRole('button', { name: SEED_TITLE }).count(), 0, 'the inlined pack, not the seed');
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('persija');
  await resultsCount(page).filter({ hasText: '1 article' }).waitFor();
  await page.getByRole('button', { name: /^Persib Bandung mengalahkan Persija/ }).waitFor();

  await page.getByRole('searchbox', { name: 'Search articles' }).fill('kremlin');
  await openHostileArticle(page);

  assert.deepEqual(requests, [url]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('sorot.html from disk carries teaching mode: the switch, the analysis, the recogniser, and back', async () => {
  const { url, page, context, requests, problems } = await openFile(`${DIST}/sorot.html`, {
    viewport: { width: 1440, height: 1000 },
  });
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.fill('kerusuhan');
  await showsQuery(page, 'kerusuhan');
  assert.equal(await page.locator('.teach').count(), 0, 'the explorer carries no explanations');
  await page.getByRole('link', { name: 'Show the work' }).click();
  await page.waitForURL((u) => u.search === '?explain=1' && u.hash.startsWith('#q=kerusuhan'));
  await page.getByRole('heading', { name: 'How the search works' }).waitFor();
  assert.equal(await search.inputValue(), 'kerusuhan');
  const roots = await page.locator('table.teach-analysis tbody tr').first().evaluate((r) => r.children[3].innerText);
  assert.match(roots, /rusuh ← suffix -an \+ prefix ke-/);

  // The recogniser's model came inside the file too.
  await page.getByRole('button', { name: SEED_TITLE }).click();
  const recogniser = page.locator('details.teach-ner[data-name="Vladimir Putin"]');
  await recogniser.waitFor();
  assert.match(await recogniser.locator('summary').innerText(), /^Recogniser: B-PER I-PER/);
  await page.screenshot({ path: `${SCREENSHOTS}/single-file-teach.png`, fullPage: true });

  // A change of view in teaching mode keeps it (the query holds it), and the switch goes back.
  await search.fill('rusuh');
  await page.waitForFunction(() => location.search === '?explain=1' && location.hash.startsWith('#q=rusuh'));
  await page.getByRole('link', { name: 'Hide the work' }).click();
  await page.waitForURL((u) => u.search === '' && u.hash.startsWith('#q=rusuh'));
  await page.getByRole('link', { name: 'Show the work' }).waitFor();
  assert.equal(await search.inputValue(), 'rusuh');
  assert.equal(await page.locator('.teach').count(), 0);

  // A view shared with explain=1 in its hash opens in teaching mode as well.
  await page.goto(`${url}#q=menahan&explain=1`);
  await page.getByRole('heading', { name: 'How the search works' }).waitFor();
  assert.equal(await page.evaluate(() => location.search), '?explain=1');

  assert.ok(requests.every((r) => r.split(/[?#]/)[0] === url), JSON.stringify(requests));
  assert.deepEqual(problems, []);
  await context.close();
});

test('sorot.html in a browser that cannot unpack teaching mode says so, and the explorer still opens', async () => {
  const { url, page, context, problems } = await openFile(`${DIST}/sorot.html`);
  await page.addInitScript(() => {
    delete globalThis.DecompressionStream;
  });
  await page.goto(`${url}?explain=1#q=rusuh`);
  const alert = page.getByRole('alert').filter({ hasText: 'Teaching mode cannot start in this browser' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /DecompressionStream/);
  await alert.getByRole('link', { name: 'Sorot' }).click();
  await page.getByRole('button', { name: SEED_TITLE }).waitFor();
  await showsQuery(page, 'rusuh');
  assert.deepEqual(problems, []);
  await context.close();
});
