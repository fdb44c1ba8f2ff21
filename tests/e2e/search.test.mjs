// Searching and reading the seed corpus as a person does: typing, hits, keyboard, URL, languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOTS, axeViolations, fieldHolds, showsQuery, start } from './support.mjs';

const SEED_TITLE = /^Unit militer pimpinan Moskow/;

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

/** The texts of the <mark>s inside a locator. */
const marks = (locator) => locator.locator('mark').allInnerTexts();

test('typing rusuh finds the seed, marks kerusuhan in the snippet and every occurrence in the article', async () => {
  const { page, context, problems } = await app.open({ viewport: { width: 1440, height: 900 } });
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.pressSequentially('rusuh');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  await showsQuery(page, 'rusuh');
  const result = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: SEED_TITLE }) });
  const snippetMarks = await marks(result.locator('.snippet'));
  assert.ok(snippetMarks.length >= 1, 'the snippet has a mark');
  assert.ok(snippetMarks.every((m) => m === 'kerusuhan'), JSON.stringify(snippetMarks));
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-results.png` });

  await page.getByRole('button', { name: SEED_TITLE }).click();
  const article = page.getByRole('article', { name: SEED_TITLE });
  await article.waitFor();
  const articleMarks = await marks(article.locator('.body'));
  assert.deepEqual(articleMarks, Array(6).fill('kerusuhan'));
  const nav = page.getByRole('navigation', { name: 'Hit navigation' });
  await nav.getByText('Hit 1 of 6').waitFor();
  const current = () => article.locator('mark.current').getAttribute('data-hit');
  assert.equal(await current(), '0');
  await nav.getByRole('button', { name: 'Next hit (n)' }).click();
  await nav.getByText('Hit 2 of 6').waitFor();
  assert.equal(await current(), '1');
  await nav.getByRole('button', { name: 'Previous hit (p)' }).click();
  await nav.getByRole('button', { name: 'Previous hit (p)' }).click();
  await nav.getByText('Hit 6 of 6').waitFor();
  assert.equal(await current(), '5');
  // The current hit is scrolled into view.
  const inView = await article.locator('mark.current').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.ok(inView, 'the current hit is visible');
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-reader-hits.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a phrase is marked whole, a typo still finds, a malformed query warns politely', async () => {
  const { page, context, problems } = await app.open();
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.fill('"revolusi warna"');
  await page.getByRole('button', { name: SEED_TITLE }).click();
  const body = page.getByRole('article').locator('.body');
  await body.locator('mark').first().waitFor();
  assert.deepEqual(await marks(body), ['revolusi warna', 'revolusi warna', 'revolusi warna']);

  await search.fill('kazakstan');
  // The status still says "1 article found" from the phrase: wait for what this query shows.
  await page.locator('.corrections').filter({ hasText: 'kazakstan → kazakhstan' }).waitFor();
  const kazakhstan = await marks(body);
  assert.ok(kazakhstan.length > 0 && kazakhstan.every((m) => m === 'Kazakhstan'), JSON.stringify(kazakhstan));

  await search.fill('putin "revolusi warna');
  const warning = page.locator('#search-warnings');
  await warning.waitFor();
  assert.match(await warning.innerText(), /quote is not closed/);
  assert.equal(await search.getAttribute('aria-describedby'), 'search-warnings');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();

  await search.fill('zzzzqx');
  await page.getByText('No article matches.').waitFor();
  await page.getByRole('status').filter({ hasText: '0 articles found' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the URL keeps the view: reload restores it, back and forward step through it', async () => {
  const { page, context, problems } = await app.open();
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.fill('putin');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  await page.getByRole('button', { name: SEED_TITLE }).click();
  await page.getByRole('navigation', { name: 'Hit navigation' }).getByRole('button', { name: 'Next hit (n)' }).click();
  await page.getByText('Hit 2 of 6').waitFor();
  await page.waitForFunction(() => location.hash.includes('h=2'));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /q=putin/);
  assert.match(hash, /a=000_ce9894c18006a3a8/);

  await page.reload();
  await page.getByRole('article', { name: SEED_TITLE }).waitFor();
  assert.equal(await page.getByRole('searchbox', { name: 'Search articles' }).inputValue(), 'putin');
  await page.getByText('Hit 2 of 6').waitFor();

  // Back: the article closes; again: the search before it.
  await page.goBack();
  await page.getByRole('article').waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('searchbox', { name: 'Search articles' }).inputValue(), 'putin');
  // The browser changes the URL at once; the app restores the view from it a render later.
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes('q=putin'));
  await fieldHolds(page.getByRole('searchbox', { name: 'Search articles' }), '');
  await page.goForward();
  await page.waitForFunction(() => location.hash.includes('q=putin'));
  await fieldHolds(page.getByRole('searchbox', { name: 'Search articles' }), 'putin');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a burst of typing is one history entry, written when the typing pauses and before what comes next', async () => {
  const { page, context, problems } = await app.open();
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  const entries = await page.evaluate(() => history.length);
  await search.pressSequentially('putin', { delay: 20 });
  await fieldHolds(search, 'putin');
  // Opened at once: the query waiting to be written goes into its entry first, then the article's.
  await page.getByRole('button', { name: SEED_TITLE }).click();
  await page.getByRole('article', { name: SEED_TITLE }).waitFor();
  await page.waitForFunction(() => location.hash.includes('a=000_ce9894c18006a3a8'));
  assert.match(await page.evaluate(() => location.hash), /q=putin/);
  assert.equal(await page.evaluate(() => history.length), entries + 2, 'one entry for the typing, one for the article');
  await page.goBack();
  await page.getByRole('article').waitFor({ state: 'detached' });
  await showsQuery(page, 'putin');
  assert.equal(await search.inputValue(), 'putin');
  // Typing again long after: a new entry, which Back leaves for the previous query.
  await search.fill('');
  await search.pressSequentially('kazakhstan', { delay: 20 });
  await showsQuery(page, 'kazakhstan');
  await page.goBack();
  await showsQuery(page, 'putin');
  await fieldHolds(search, 'putin');
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard first: / focuses search, j/k move, Enter opens, n/p step hits, Esc clears', async () => {
  const { page, context, problems } = await app.open();
  await page.getByRole('button', { name: SEED_TITLE }).waitFor();
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  assert.equal(await search.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.type('kremlin');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  await showsQuery(page, 'kremlin');
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('j');
  // The cursor's result takes the focus in an effect, after the render that moved the cursor.
  await page.waitForFunction(() => document.activeElement?.className === 'result-open');
  await page.keyboard.press('Enter');
  const article = page.getByRole('article', { name: SEED_TITLE });
  await article.waitFor();
  await page.getByText('Hit 1 of 4').waitFor();
  await page.keyboard.press('n');
  await page.getByText('Hit 2 of 4').waitFor();
  await page.keyboard.press('p');
  await page.keyboard.press('p');
  await page.getByText('Hit 4 of 4').waitFor();
  await page.keyboard.press('Escape');
  await fieldHolds(search, '');
  await page.keyboard.press('Escape');
  await article.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('both interface languages, and no accessibility violations on the main views', async () => {
  const { page, context, problems } = await app.open({ locale: 'id-ID' });
  const search = page.getByRole('searchbox', { name: 'Cari artikel' });
  await search.fill('rusuh');
  await page.getByRole('status').filter({ hasText: '1 artikel ditemukan' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'results view');
  await page.getByRole('button', { name: SEED_TITLE }).click();
  await page.getByText('Temuan 1 dari 6').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'reader view');
  await page.getByRole('button', { name: 'Ganti bahasa antarmuka ke English' }).click();
  await page.getByText('Hit 1 of 6').waitFor();
  await page.getByRole('searchbox', { name: 'Search articles' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 360 px: search, results and the reader fit, with screenshots', async () => {
  const { page, context, problems } = await app.open({ viewport: { width: 360, height: 740 }, isMobile: true });
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('rusuh');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(await overflow(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/mobile-results.png` });
  await page.getByRole('button', { name: SEED_TITLE }).click();
  await page.getByText('Hit 1 of 6').waitFor();
  assert.equal(await overflow(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/mobile-reader-hits.png` });
  await page.getByRole('button', { name: 'Back to the list' }).click();
  await page.getByRole('button', { name: SEED_TITLE }).waitFor({ state: 'visible' });
  assert.deepEqual(problems, []);
  await context.close();
});
