// Served over http, the explorer installs a service worker: it works offline after the first visit,
// and says when a new version of the app or of its pack is ready.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, SCREENSHOTS, start } from './support.mjs';

const SEED_TITLE = /^Unit militer pimpinan Moskow yang dikerahkan ke Kazakhstan/;

// Each test serves its own copy of the build, so it can change files or stop the server.
let folders = [];
before(() => {
  folders = [];
});
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Serves a copy of the build; the browser and server go when test `t` ends, failed or not. */
async function serveCopy(t) {
  const dir = mkdtempSync(join(tmpdir(), 'sorot-offline-'));
  folders.push(dir);
  cpSync(DIST, dir, { recursive: true });
  const app = await start({ dir });
  t.after(() => app.close());
  return { dir, app };
}

/** Waits until the service worker controls the page (it has cached the app by then). */
const controlled = (page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null);
/**
 * Waits until the service worker keeps `path` in its caches. (Not `waitForFunction`: it takes the
 * promise an async predicate returns for a true answer, and returned at once — the pack was often not
 * kept yet, so the "changed pack" test failed now and then.)
 */
const cached = (page, path) =>
  page.evaluate(async (p) => {
    const url = new URL(p, location.href).href;
    while (!(await caches.match(url))) await new Promise((next) => setTimeout(next, 20));
  }, path);

/**
 * Opens the explorer on the split pack in `folder`, waits for its `count` ("5 articles"), and makes it
 * available offline.
 */
async function savedOffline(app, count, folder = 'fixtures-split') {
  const { page, context, problems } = await app.open({ path: `index.html?pack=${folder}/entry.sorot` });
  const results = page.getByRole('region', { name: /Results/ });
  await results.getByText(count).waitFor();
  await controlled(page);
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await page.getByRole('status').filter({ hasText: 'The whole corpus is available offline.' }).waitFor();
  return { page, context, problems, results };
}

test('after the first visit, the explorer and its pack work with the network gone', async (t) => {
  const { app } = await serveCopy(t);
  const { page, context } = await app.open({ path: 'index.html?pack=fixtures.pack' });
  const results = page.getByRole('region', { name: /Results/ });
  await results.getByRole('button', { name: /^Kremlin <script>/ }).waitFor();
  // Installable: a manifest with a name, an icon and a start URL.
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    return (await fetch(link.href)).json();
  });
  assert.equal(manifest.short_name, 'Sorot');
  assert.equal(manifest.start_url, './');
  assert.ok(manifest.icons.length > 0);
  await controlled(page);
  await cached(page, 'fixtures.pack');
  await cached(page, 'index.html?pack=fixtures.pack');

  // The server goes away and the browser is offline. Connections still open (the worker checks the
  // pack in the background) are cut at once: close() alone waits for them, as long as they last.
  const closed = new Promise((done) => app.server.close(done));
  app.server.closeAllConnections();
  await closed;
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('kremlin');
  await results.getByRole('button', { name: /^Kremlin <script>/ }).waitFor();
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('navalny');
  await results.getByRole('button', { name: SEED_TITLE }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/offline.png` });
  await context.close();
});

test('a new build shows "a new version is available", and Reload switches to it', async (t) => {
  const { dir, app } = await serveCopy(t);
  const { page, context, problems } = await app.open();
  await page.getByRole('button', { name: SEED_TITLE }).waitFor();
  await controlled(page);
  const before = await page.evaluate(() => caches.keys());

  // A new build: the worker script changes (its version names a new cache).
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const version = sw.match(/const VERSION = '([0-9a-f]+)'/)[1];
  writeFileSync(join(dir, 'sw.js'), sw.replace(version, 'f'.repeat(version.length)));
  await page.reload();
  const banner = page.getByRole('status').filter({ hasText: 'A new version is available.' });
  await banner.waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/update-available.png` });
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await page.getByRole('button', { name: SEED_TITLE }).waitFor();
  await page.waitForFunction((v) => caches.keys().then((keys) => keys.includes(`sorot-app-${v}`)), 'f'.repeat(version.length));
  const after = await page.evaluate(() => caches.keys());
  assert.ok(before.includes(`sorot-app-${version}`));
  assert.ok(!after.includes(`sorot-app-${version}`), "the old version's cache is gone");
  assert.equal(await banner.count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a changed pack is noticed: the banner offers the new corpus', async (t) => {
  const { dir, app } = await serveCopy(t);
  const { page, context, problems } = await app.open({ path: 'index.html?pack=fixtures.pack' });
  const results = page.getByRole('region', { name: /Results/ });
  await results.getByRole('button', { name: /^Kremlin <script>/ }).waitFor();
  await controlled(page);
  await cached(page, 'fixtures.pack');

  // The site publishes a new pack under the same name (here: the seed alone).
  writeFileSync(join(dir, 'fixtures.pack'), readFileSync(join(dir, 'articles.pack')));
  await page.reload();
  const banner = page.getByRole('status').filter({ hasText: 'A new version is available.' });
  await banner.waitFor();
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await results.getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.equal(await results.getByRole('button', { name: /^Kremlin <script>/ }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

// (Also one whose postings chunks are named by its dictionary chunks, known only once those are in.)
for (const folder of ['fixtures-split', 'fixtures-split-named']) {
test(`a split pack made available offline works with the network gone (${folder})`, async (t) => {
  const { dir, app } = await serveCopy(t);
  const { page, context, problems, results } = await savedOffline(app, '5 articles', folder);
  // Every piece is kept by the service worker (also those fetched before it controlled the page).
  const pieces = readdirSync(join(dir, folder)).filter((n) => n !== 'entry.sorot');
  for (const name of pieces) await cached(page, `${folder}/${name}`);
  await cached(page, `${folder}/entry.sorot`);

  const closed = new Promise((done) => app.server.close(done));
  app.server.closeAllConnections();
  await closed;
  await context.setOffline(true);
  await page.reload();
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await results.getByText('5 articles').waitFor();
  // A typo reads every dictionary piece; the results' facets read the entities and their mentions.
  await search.fill('kazakstan');
  await results.getByRole('button', { name: SEED_TITLE }).waitFor();
  await page.locator('.facets-pane').getByText('Vladimir Putin').first().waitFor();
  await results.getByRole('button', { name: SEED_TITLE }).click();
  await page.getByRole('article').locator('.body mark').first().waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
}

// (Also where the dictionary chunks name the postings chunks: the worker reads those to know them.)
for (const [name, other] of [['fixtures-split', 'seed-split'], ['fixtures-split-named', 'seed-split-named']]) {
test(`when a split pack changes, the kept pieces its new entry does not name go (${name})`, async (t) => {
  const { dir, app } = await serveCopy(t);
  const { page, context, problems, results } = await savedOffline(app, '5 articles', name);
  const folder = join(dir, name);
  const before = readdirSync(folder).filter((n) => n !== 'entry.sorot');
  for (const piece of before) await cached(page, `${name}/${piece}`);
  // The site packs the folder again with other articles (the seed alone, as test.sh packed it).
  rmSync(folder, { recursive: true });
  cpSync(join(dir, other), folder, { recursive: true });
  const now = readdirSync(folder).filter((n) => n !== 'entry.sorot');
  const gone = before.filter((n) => !now.includes(n));
  assert.ok(gone.length > 0, 'the new pack has other pieces');
  await page.reload();
  // The page still has the old entry, whose pieces are kept: it works on, and hears of the new one.
  await results.getByText('5 articles').waitFor();
  const banner = page.getByRole('status').filter({ hasText: 'A new version is available.' });
  await banner.waitFor();
  const kept = (piece) => page.evaluate(async (p) => Boolean(await caches.match(p)), `${name}/${piece}`);
  assert.ok(await kept(gone[0]), 'nothing is removed while a page may still use the old entry');
  // Once the new entry is in use, the pieces only the old one named go.
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await results.getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.equal(await results.getByRole('button', { name: /^Kremlin <script>/ }).count(), 0);
  await page.evaluate(async (paths) => {
    const kept = async () => (await Promise.all(paths.map((p) => caches.match(p)))).some(Boolean);
    while (await kept()) await new Promise((next) => setTimeout(next, 20));
  }, gone.map((n) => `${name}/${n}`));
  for (const piece of gone) assert.equal(await kept(piece), false, piece);
  // What the new pack shares with the old one stays (the seed's article batch).
  const shared = before.filter((n) => now.includes(n));
  assert.ok(shared.length > 0);
  for (const piece of shared) assert.equal(await kept(piece), true, piece);
  assert.deepEqual(problems, []);
  await context.close();
});
}

test('when articles are added to a split pack, the kept batches it still names stay', async (t) => {
  const { dir, app } = await serveCopy(t);
  const folder = join(dir, 'fixtures-split');
  const full = join(dir, 'fixtures-split-full');
  cpSync(folder, full, { recursive: true });
  // The site's pack before its last article: made available offline.
  rmSync(folder, { recursive: true });
  cpSync(join(dir, 'fixtures-split-fewer'), folder, { recursive: true });
  const { page, context, problems, results } = await savedOffline(app, '4 articles');
  const before = readdirSync(folder).filter((n) => n !== 'entry.sorot');
  for (const name of before) await cached(page, `fixtures-split/${name}`);
  // Then packed again with one article more.
  rmSync(folder, { recursive: true });
  cpSync(full, folder, { recursive: true });
  const now = readdirSync(folder).filter((n) => n !== 'entry.sorot');
  const gone = before.filter((n) => !now.includes(n));
  // The earlier batches are the same files; the new entry does not name them, its lengths piece
  // (changed, and not kept yet) does.
  const batches = before.filter((n) => n.startsWith('a-') && now.includes(n));
  assert.ok(batches.length > 0 && gone.length > 0, `${batches} ${gone}`);
  assert.ok(gone.some((n) => n.startsWith('l-')), 'the lengths piece changed');
  // (Gone from the site too: a batch the worker dropped could not come back from the network.)
  for (const name of batches) rmSync(join(folder, name));
  await page.reload();
  const banner = page.getByRole('status').filter({ hasText: 'A new version is available.' });
  await banner.waitFor();
  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await results.getByText('5 articles').waitFor();
  const kept = (name) => page.evaluate(async (p) => Boolean(await caches.match(p)), `fixtures-split/${name}`);
  await page.evaluate(async (paths) => {
    const kept = async () => (await Promise.all(paths.map((p) => caches.match(p)))).some(Boolean);
    while (await kept()) await new Promise((next) => setTimeout(next, 20));
  }, gone.map((n) => `fixtures-split/${n}`));
  for (const name of gone) assert.equal(await kept(name), false, name);
  for (const name of batches) assert.equal(await kept(name), true, name);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the service worker does not keep a damaged piece', async (t) => {
  const { dir, app } = await serveCopy(t);
  for (const name of readdirSync(join(dir, 'fixtures-split')).filter((n) => n.startsWith('d-'))) {
    const path = join(dir, 'fixtures-split', name);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(path, bytes);
  }
  const { page, context } = await app.open({ path: 'index.html?pack=fixtures-split/entry.sorot' });
  await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
  await controlled(page);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await page.getByRole('alert').filter({ hasText: /d-[0-9a-f]{16}\.sorot/ }).waitFor();
  const damaged = requests.filter((p) => /\/d-[0-9a-f]{16}\.sorot$/.test(p));
  assert.ok(damaged.length > 0);
  for (const path of damaged) assert.equal(await page.evaluate(async (p) => Boolean(await caches.match(p)), path), false, path);
  await context.close();
});
