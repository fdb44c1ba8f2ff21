// A split pack (`sorot pack --split`): the explorer opens it by its entry file, fetches only the pieces
// a query needs, answers as the whole pack does, and reports a damaged piece while the rest works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DIST, SCREENSHOTS, modulePage, showsQuery, start } from './support.mjs';

const SPLIT = 'fixtures-split';
/** The same corpus with more postings chunks than its entry names (`--keyed-chunks`): its dictionary
 * chunks name them. */
const NAMED = 'fixtures-split-named';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

/** What the page shows of a search: the result count, each result's text, and the facets. */
function snapshot() {
  const root = document.querySelector('sorot-explorer')?.shadowRoot ?? document;
  const text = (selector) => [...root.querySelectorAll(selector)].map((e) => e.innerText.trim());
  return JSON.stringify({
    status: text('[role="status"]'),
    results: text('.results-pane li'),
    facets: text('.facets-pane li'),
  });
}

/** The open article's entity marks: each one's type, name and text. */
function marks() {
  const root = document.querySelector('sorot-explorer')?.shadowRoot ?? document;
  const found = [...root.querySelectorAll('article .entity')];
  return JSON.stringify(found.map((e) => [e.dataset.entityType, e.dataset.entity, e.innerText.trim()]));
}

/** Defines `window.snapshot` and `window.marks` in every page. */
const init = `window.snapshot = ${snapshot}; window.marks = ${marks};`;

/** Downloads an export from the page's Export menu: the file's text. */
async function exported(page, label) {
  await page.locator('details.export').evaluate((d) => {
    d.open = true;
  });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
  return readFileSync(await file.path(), 'utf8');
}

/** Each of `queries` searched on `page` (once its newest articles show): what the page shows of it. */
async function snapshots(page, queries) {
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
  const out = {};
  for (const q of queries) {
    await search.fill(q);
    await showsQuery(page, q);
    out[q] = await page.evaluate(() => window.snapshot());
  }
  return out;
}

/** The piece files the page asked for, by kind letter. */
function piecesOf(requests) {
  const names = new Set(requests.map((u) => u.split('/').pop()).filter((n) => /^[a-z]-[0-9a-f]{16}\.sorot$/.test(n)));
  return [...names];
}

for (const split of [SPLIT, NAMED]) {
test(`a split pack answers as the whole pack, fetching only what each view needs (${split})`, async () => {
  const queries = ['putin', 'kaza', '"unjuk rasa"', 'protest', 'ekonomi'];
  // The same searches on the whole pack first: what the split one must show.
  let expected;
  {
    const { page, context, problems } = await app.open({ path: '?pack=fixtures.pack', init });
    const search = page.getByRole('searchbox', { name: 'Search articles' });
    expected = await snapshots(page, queries);
    await search.fill('putin');
    await showsQuery(page, 'putin');
    expected.entities = await exported(page, 'Entities (JSON)');
    expected.results = await exported(page, 'Results (CSV)');
    await page.locator('li.result button').first().click();
    await page.getByRole('article').locator('.body .entity').first().waitFor();
    expected.marks = await page.evaluate(() => window.marks());
    assert.deepEqual(problems, []);
    await context.close();
  }
  const { page, context, problems } = await app.open({ path: `?pack=${split}/entry.sorot`, init });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  // Before any query: the entry's newest articles, and no part of the index.
  await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
  const atStart = piecesOf(requests);
  assert.ok(!atStart.some((n) => 'dps'.includes(n[0])), `no index piece before a query: ${atStart}`);
  const all = readdirSync(`${DIST}/${split}`).filter((n) => n !== 'entry.sorot').length;
  // The first query's exports wait for the pieces they need (every entity's name: more than the
  // facets show) and are then the whole pack's.
  await search.fill('putin');
  await page.waitForFunction((want) => window.snapshot() === want, expected.putin);
  const chunks = () => piecesOf(requests).filter((n) => n[0] === 'e').length;
  const named = chunks();
  assert.equal(await exported(page, 'Entities (JSON)'), expected.entities);
  assert.ok(chunks() > named, `the export fetched more of the entity list than the facets (${named} chunks)`);
  assert.equal(await exported(page, 'Results (CSV)'), expected.results);
  for (const q of queries) {
    const before = piecesOf(requests).length;
    await search.fill(q);
    await showsQuery(page, q);
    // Pieces arrive after the first view of the query: wait until the view is the whole pack's.
    await page.waitForFunction((want) => window.snapshot() === want, expected[q]);
    assert.ok(piecesOf(requests).length >= before);
  }
  const fetched = piecesOf(requests);
  assert.ok(fetched.some((n) => n[0] === 'd') && fetched.some((n) => n[0] === 'p'), `${fetched}`);
  assert.ok(fetched.length < all, `${fetched.length} of ${all} pieces`);
  // Reading an article works from its batch, with the query's marks and the same entity marks (its
  // mentions come with its text; their names with the entity list's chunks).
  await search.fill('putin');
  await showsQuery(page, 'putin');

  await page.locator('li.result button').first().click();
  await page.getByRole('article').locator('.body mark').first().waitFor();
  await page.waitForFunction((want) => window.marks() === want, expected.marks);
  assert.ok(JSON.parse(expected.marks).length > 3, expected.marks);
  // (Dictionary, postings, lengths, entity list, facet ranges, catalog, articles, and the roots'
  // families: no name bucket in these views.)
  assert.ok(piecesOf(requests).every((n) => 'dplefcas'.includes(n[0])), `${piecesOf(requests)}`);
  if (split === SPLIT) await page.screenshot({ path: `${SCREENSHOTS}/split-pack.png` });
  assert.deepEqual(problems, []);
  await context.close();
});
}

test("the explorer page fetches a small split pack's lengths pieces with its entry once the wasm is in, once each", async () => {
  const lengths = readdirSync(`${DIST}/${SPLIT}`).filter((n) => n.startsWith('l-')).map((n) => `/${SPLIT}/${n}`);
  assert.ok(lengths.length > 0);
  // The page's own script asks for them once the entry is in and the app says its wasm is (the first
  // thing the app does), not sooner: the wasm would share the network with them. The page's fetches
  // are logged.
  {
    const logFetches = () => {
      const fetch = window.fetch;
      window.fetched = [];
      window.fetch = (what, ...rest) => {
        window.fetched.push(new URL(String(what), location.href).pathname);
        return fetch(what, ...rest);
      };
    };
    const lengthsAsked = (frame) => frame.evaluate(() => window.fetched.filter((p) => p.includes('/l-')));
    let done;
    const all = new Promise((ok) => (done = ok));
    let whileHeld;
    const hold = async (route) => {
      // (The service worker, once there, fetches the wasm again to keep it.)
      if (route.request().serviceWorker() || whileHeld) return route.continue();
      // The wasm is on its way (the browser asks for it before the page's scripts run): once the
      // script has read the entry and made its map of pieces, it has asked for none of them yet.
      const frame = route.request().frame();
      await frame.waitForFunction(() => globalThis.__sorotPieces);
      const early = await frame.evaluate(() => globalThis.__sorotPieces.then((pieces) => pieces?.size));
      whileHeld = { early, asked: await lengthsAsked(frame) };
      await route.continue();
    };
    const count = (route) => {
      if (++asked.length === lengths.length) done();
      return route.continue();
    };
    const asked = [];
    // (No service worker: once it controls the page, which it may before a slow app starts, the
    // page's requests are its, and the page's own are not seen here.)
    const { page, context } = await app.open({
      path: `?pack=${SPLIT}/entry.sorot`,
      init: logFetches,
      routes: [['**/l-*.sorot', count], ['**/*_bg.wasm', hold]],
      serviceWorkers: 'block',
    });
    await all;
    assert.deepEqual(whileHeld, { early: lengths.length, asked: [] });
    assert.deepEqual((await lengthsAsked(page.mainFrame())).sort(), [...lengths].sort());
    await context.close();
  }
  // With the app running, it takes those responses: the page asks for each piece once. (No service
  // worker here either: on a slow machine it may control the page before the app's wasm is in, and
  // then the page's requests are the worker's, which also asks again for what the page loaded before
  // it, to keep it.)
  const asked = [];
  const count = (route) => {
    asked.push(new URL(route.request().url()).pathname);
    return route.continue();
  };
  const { page, context, problems } = await app.open({
    path: `?pack=${SPLIT}/entry.sorot`,
    routes: [['**/l-*.sorot', count]],
    serviceWorkers: 'block',
  });
  // Before a search, the facets pane says why it lists nothing (a split pack counts entities only
  // over what is found); after one, it lists them.
  const note = page.locator('.facets-pane').getByText('Search to see the people, organisations and places');
  await note.waitFor();
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await showsQuery(page, 'putin');
  await page.locator('.facets-pane .facet-group').first().waitFor();
  assert.equal(await note.count(), 0);
  assert.deepEqual(asked.sort(), [...lengths].sort());
  assert.deepEqual(problems, []);
  await context.close();
});

test("a split pack's entry that the page's script read before the app started is shown from the app's first render", async () => {
  // The wasm waits until the page's script has read the entry whole: the app opens it before it first
  // renders, so the page never shows the waiting state (a search box and no results pane), and does not
  // ask for the entry again. A link to an article still opens it.
  const watch = () => {
    window.sawWaiting = false;
    new MutationObserver(() => {
      if (document.querySelector('#search-input') && !document.querySelector('.results')) window.sawWaiting = true;
    }).observe(document, { childList: true, subtree: true });
  };
  const hold = async (route) => {
    if (route.request().serviceWorker()) return route.continue();
    await route.request().frame().waitForFunction(() => globalThis.__sorotEntry);
    await route.continue();
  };
  const entries = [];
  const countEntry = (route) => {
    // (The glob matches the page's own address too, whose query names the entry.)
    const { pathname } = new URL(route.request().url());
    if (!route.request().serviceWorker() && pathname.endsWith('/entry.sorot')) entries.push(pathname);
    return route.continue();
  };
  const { page, context, problems } = await app.open({
    path: `?pack=${SPLIT}/entry.sorot#q=inflasi&a=id-ekonomi-indofood`,
    init: watch,
    routes: [['**/*_bg.wasm', hold], ['**/entry.sorot', countEntry]],
  });
  const article = page.getByRole('article', { name: 'Indofood menaikkan harga mi instan di Jakarta' });
  await article.waitFor();
  assert.deepEqual(await article.locator('mark').allInnerTexts(), ['inflasi', 'inflasi']);
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  assert.equal(await page.evaluate(() => window.sawWaiting), false);
  assert.equal(await page.evaluate(() => typeof globalThis.__sorotEntry), 'undefined', 'the app took the entry');
  assert.equal(entries.length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a damaged piece is reported by name, and the explorer keeps working', async () => {
  // A copy of the split pack whose postings pieces are all damaged (one byte flipped each).
  const dir = `${DIST}/${SPLIT}-damaged`;
  rmSync(dir, { recursive: true, force: true });
  cpSync(`${DIST}/${SPLIT}`, dir, { recursive: true });
  for (const name of readdirSync(dir).filter((n) => n.startsWith('p-'))) {
    const bytes = readFileSync(`${dir}/${name}`);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(`${dir}/${name}`, bytes);
  }
  const { page, context, problems } = await app.open({ path: `?pack=${SPLIT}-damaged/entry.sorot` });
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
  await search.fill('putin');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /p-[0-9a-f]{16}\.sorot: split pack piece is damaged \(it cannot be decompressed: /);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await alert.waitFor({ state: 'detached' });
  // The rest still works: clearing the search shows the newest articles again, and one opens.
  await search.fill('');
  await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
  await page.locator('li.result button').first().click();
  await page.getByRole('article').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});


test('an export whose pieces fail gives up with the alert, and a second try fetches them again', async () => {
  let expected;
  {
    const { page, context } = await app.open({ path: '?pack=fixtures.pack' });
    await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
    await showsQuery(page, 'putin');
    expected = await exported(page, 'Entities (JSON)');
    await context.close();
  }
  // The entity list's chunks fail while `failing` (the network gone), as the export asks for them.
  let failing = false;
  const failed = [];
  const entities = (route) => {
    if (!failing) return route.continue();
    failed.push(new URL(route.request().url()).pathname);
    return route.abort('internetdisconnected');
  };
  const { page, context, problems } = await app.open({ path: `?pack=${SPLIT}/entry.sorot`, routes: [['**/e-*.sorot', entities]] });
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await showsQuery(page, 'putin');
  await page.locator('.facets-pane li').first().waitFor();
  failing = true;
  await page.locator('details.export').evaluate((d) => {
    d.open = true;
  });
  await page.getByRole('button', { name: 'Entities (JSON)' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /e-[0-9a-f]{16}\.sorot/);
  assert.ok(failed.length > 0);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  // Back online: the same export asks for what failed again, and is the whole pack's.
  failing = false;
  assert.equal(await exported(page, 'Entities (JSON)'), expected);
  // Nothing went wrong but the failures made on purpose (the entity chunks' requests, which the
  // browser also logs).
  const made = (p) =>
    /^request failed: \S+\/e-[0-9a-f]{16}\.sorot net::/.test(p) || /^console error: Failed to load resource: net::/.test(p);
  assert.deepEqual(problems.filter((p) => !made(p)), []);
  await context.close();
});

test('a word of one or two letters being typed waits for the next keystroke before fetching its pieces', async () => {
  let expected;
  {
    const { page, context } = await app.open({ path: '?pack=fixtures.pack', init });
    expected = await snapshots(page, ['p', 'put', 'puti', 'putin']);
    await context.close();
  }
  /** The index pieces (dictionary, postings) asked for while `act` runs in a fresh page (by the page,
   * or by the service worker for it once it controls the page). */
  async function indexPieces(act) {
    const asked = new Set();
    const note = (route) => {
      asked.add(new URL(route.request().url()).pathname);
      return route.continue();
    };
    const { page, context, problems } = await app.open({
      path: `?pack=${SPLIT}/entry.sorot`,
      init,
      routes: [['**/d-*.sorot', note], ['**/p-*.sorot', note]],
    });
    await page.getByRole('region', { name: /Results/ }).getByText('5 articles').waitFor();
    const search = page.getByRole('searchbox', { name: 'Search articles' });
    await act(page, search);
    assert.deepEqual(problems, []);
    await context.close();
    return asked;
  }
  const shows = (page, q) => page.waitForFunction((want) => window.snapshot() === want, expected[q]);
  // What the words of three letters and more need, each searched on its own.
  const allowed = await indexPieces(async (page, search) => {
    for (const q of ['put', 'puti', 'putin']) {
      await search.fill(q);
      await shows(page, q);
    }
  });
  // A `p` left alone is searched, after the wait, with pieces of its own.
  const alone = await indexPieces(async (page, search) => {
    await search.fill('p');
    await shows(page, 'p');
  });
  assert.ok([...alone].some((n) => !allowed.has(n)), 'a lone `p` needs pieces that `putin` does not');
  // Typed letter by letter, `p` and `pu` fetch nothing: every piece asked for is one of the longer words'.
  const typed = await indexPieces(async (page, search) => {
    await search.click();
    await page.keyboard.type('putin', { delay: 20 });
    await shows(page, 'putin');
  });
  const extra = [...typed].filter((n) => !allowed.has(n));
  assert.deepEqual(extra, []);
});

for (const folder of [SPLIT, NAMED]) {
test(`the JS API opens a split pack by its entry URL and answers as the whole pack (${folder})`, async () => {
  const module = `
import { Sorot } from './sorot.js';
const whole = await Sorot.fromUrl('fixtures.pack');
const split = await Sorot.fromUrl('${folder}/entry.sorot');
let syncError = null;
try { split.search('putin', {}); } catch (e) { syncError = String(e.message ?? e); }
const out = {};
for (const q of ['putin', 'kaza', '"vladimir putin"', 'protest', 'ekonomi', 'rusuh -putin', 'person:putin', 'kazakstan']) {
  const options = { limit: 10, prefix: q === 'kaza' };
  out[q] = { whole: whole.search(q, options), split: await split.searchAsync(q, options) };
}
const id = out.putin.whole.hits[0].id;
const article = { whole: whole.article(id, 'putin'), split: await split.articleAsync(id, 'putin'), again: split.article(id, 'putin') };
window.__done = { out, article, syncError, sizes: [whole.size, split.size], missing: await split.articleAsync('no-such-id') };`;
  const { page, context, problems } = await app.open({ path: 'split-api.html', pages: { 'split-api.html': modulePage(module) } });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const done = await (await page.waitForFunction(() => window.__done)).jsonValue();
  assert.equal(done.error, undefined, `the page failed: ${done.error}`);
  assert.match(done.syncError, /has not loaded the pieces this needs yet: use searchAsync/);
  assert.deepEqual(done.sizes, [5, 5]);
  for (const [q, { whole, split }] of Object.entries(done.out)) assert.deepEqual(split, whole, q);
  // Words, a prefix, a phrase, an entity filter and a typo (which waits for the dictionary's pieces).
  const found = Object.entries(done.out).filter(([, r]) => r.whole.total > 0).map(([q]) => q);
  assert.deepEqual(found, ['putin', 'kaza', '"vladimir putin"', 'protest', 'person:putin', 'kazakstan']);
  assert.deepEqual(done.article.split, done.article.whole);
  assert.deepEqual(done.article.again, done.article.whole);
  assert.ok(done.article.whole.highlights.length > 0 && done.article.whole.entities.length > 0);
  assert.equal(done.missing, null);
  const all = readdirSync(`${DIST}/${folder}`).filter((n) => n !== 'entry.sorot').length;
  assert.ok(piecesOf(requests).length < all, `${piecesOf(requests).length} of ${all} pieces`);
  assert.deepEqual(problems, []);
  await context.close();
});
}

test('the widget opens a split pack from its pack attribute and shows what the whole pack does', async () => {
  const widget = (id, pack) => `<sorot-explorer id="${id}" pack="${pack}" query="putin" lang="en" height="600px"></sorot-explorer>`;
  const body = `<script src="sorot-embed.js"></script>${widget('whole', 'fixtures.pack')}${widget('split', `${SPLIT}/entry.sorot`)}`;
  /** What widget `id` shows: its result count and titles. */
  function shown(id) {
    const root = document.getElementById(id)?.shadowRoot;
    const text = (selector) => [...(root?.querySelectorAll(selector) ?? [])].map((e) => e.textContent.trim());
    return JSON.stringify({ count: text('.count'), titles: text('.result-open') });
  }
  const { page, context, problems } = await app.open({
    path: 'split-widget.html',
    pages: { 'split-widget.html': modulePage('window.__done = true;', body) },
    init: `window.shown = ${shown};`,
    viewport: { width: 1400, height: 1400 },
  });
  await page.locator('#whole .result-open').first().waitFor();
  const want = await page.evaluate(() => window.shown('whole'));
  assert.match(want, /"count":\["[1-9][0-9]* articles?"\]/);
  // Pieces come after the first view: wait until the split widget shows the same.
  await page.waitForFunction((want) => window.shown('split') === want, want);
  assert.deepEqual(problems, []);
  await context.close();
});
