// Loading another corpus with ?pack=…, its failures, and hostile article text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { DIST, SCREENSHOTS, axeViolations, start, openHostileArticle } from './support.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

test('a missing pack is reported and the bundled corpus stays usable', async () => {
  const { page, context, problems } = await app.open({ path: '?pack=missing.pack' });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /missing\.pack could not be loaded: HTTP 404/);
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  // The browser itself logs the 404; nothing else went wrong.
  assert.deepEqual(problems, [
    `HTTP 404: ${app.url}missing.pack`,
    'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
  ]);
  await context.close();
});

test('a link into a corpus by URL opens the article it names once that corpus is in', async () => {
  // The bundled corpus is not shown meanwhile (the article is not in it), and the URL keeps the article.
  const title = 'Indofood menaikkan harga mi instan di Jakarta';
  for (const pack of ['fixtures.pack', 'fixtures-split/entry.sorot']) {
    // The corpus is held back until the page has been looked at.
    let release;
    const held = new Promise((ok) => (release = ok));
    const hold = async (route) => {
      if (!route.request().serviceWorker()) await held;
      await route.continue();
    };
    const { page, context, problems } = await app.open({
      path: `?pack=${pack}#q=inflasi&a=id-ekonomi-indofood`,
      routes: [[`**/${pack}`, hold]],
    });
    // Meanwhile: the search box and the loading bar, and no "no article matches" of an empty corpus.
    await page.getByRole('searchbox', { name: 'Search articles' }).waitFor();
    await page.getByText(`Loading the corpus ${pack}`).waitFor();
    assert.equal(await page.locator('.results, .facets-pane').count(), 0, pack);
    release();
    const article = page.getByRole('article', { name: title });
    await article.waitFor();
    assert.deepEqual(await article.locator('mark').allInnerTexts(), ['inflasi', 'inflasi'], pack);
    await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
    assert.match(await page.evaluate(() => location.hash), /a=id-ekonomi-indofood/, pack);
    assert.deepEqual(problems, [], pack);
    await context.close();
  }
});

test('a damaged pack is refused with the reason', async () => {
  // A real pack of the current version with one byte of its payload flipped; a pack of an old version;
  // and a web page where a pack should be (what a site serves for a wrong address, say).
  const damaged = readFileSync(`${DIST}/fixtures.pack`);
  damaged[damaged.length - 100] ^= 0xff;
  writeFileSync(`${DIST}/damaged.pack`, damaged);
  writeFileSync(`${DIST}/old.pack`, Buffer.concat([Buffer.from('SOROTPAK\x01\x00\x00\x00'), Buffer.alloc(64, 7)]));
  const cases = [
    ['damaged.pack', /pack is damaged \(checksum mismatch\)/],
    ['old.pack', /version 1 is not supported/],
    ['host.html', /not a Sorot pack/],
  ];
  for (const [name, reason] of cases) {
    const { page, context, problems } = await app.open({ path: `?pack=${name}` });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), reason);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Unit militer/ }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the fixture corpus loads by URL; markup in articles is shown as text and never runs', async () => {
  const { page, context, problems } = await app.open({ path: '?pack=fixtures.pack', viewport: { width: 1440, height: 900 } });
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    d.dismiss();
  });
  const results = page.getByRole('region', { name: /Results/ });
  await results.getByText('5 articles').waitFor();
  await openHostileArticle(page);
  assert.equal(dialogs, 0);
  await page.screenshot({ path: `${SCREENSHOTS}/fixtures-hostile.png` });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});
