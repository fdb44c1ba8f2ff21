// The explorer as a person uses it, in Debian's Chromium, against the release bundle.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOTS, start } from './support.mjs';

const SEED_TITLE = /^Unit militer pimpinan Moskow yang dikerahkan ke Kazakhstan/;

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

test('the page loads with no errors, no failed or foreign requests, and lists the seed', async () => {
  const { page, context, problems } = await app.open();
  const results = page.getByRole('region', { name: /Results/ });
  await results.getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.equal(await results.getByRole('heading', { level: 3 }).count(), 1);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the seed article opens as readable text in its language', async () => {
  const { page, context, problems } = await app.open({ viewport: { width: 1280, height: 900 } });
  await page.getByRole('button', { name: SEED_TITLE }).click();
  const article = page.getByRole('article', { name: SEED_TITLE });
  await article.waitFor();
  // The name is in the text, marked as a person.
  const tokayev = article.getByRole('button', { name: /^Kassym Jomart-Tokayev \(person\)/ });
  await tokayev.waitFor();
  assert.equal(await tokayev.getAttribute('data-entity-type'), 'PER');
  assert.match(await article.innerText(), /Presiden Kazakhstan Kassym Jomart-Tokayev menyebut minggu kekerasan/);
  assert.equal(await article.locator('[lang="id"]').first().getAttribute('lang'), 'id');
  assert.equal(await article.getByRole('paragraph').count() >= 10, true);
  const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: SEED_TITLE }) });
  assert.equal(await item.getAttribute('aria-current'), 'true');
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-reader.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 360 px wide nothing overflows, and the reader replaces the list until Back', async () => {
  const { page, context, problems } = await app.open({ viewport: { width: 360, height: 740 }, isMobile: true });
  const seed = page.getByRole('button', { name: SEED_TITLE });
  await seed.waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(await overflow(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/mobile-list.png` });
  await seed.click();
  await page.getByRole('article', { name: SEED_TITLE }).waitFor();
  assert.equal(await overflow(), 0);
  assert.equal(await seed.isVisible(), false);
  await page.screenshot({ path: `${SCREENSHOTS}/mobile-reader.png` });
  await page.getByRole('button', { name: 'Back to the list' }).click();
  await seed.waitFor({ state: 'visible' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('dark mode follows prefers-color-scheme', async () => {
  const background = async (colorScheme) => {
    const { page, context } = await app.open({ colorScheme });
    await page.getByRole('button', { name: SEED_TITLE }).click();
    await page.getByRole('article').waitFor();
    if (colorScheme === 'dark') await page.screenshot({ path: `${SCREENSHOTS}/desktop-reader-dark.png` });
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return { bg: style.backgroundColor, fg: style.color };
    });
    await context.close();
    return colours;
  };
  const light = await background('light');
  const dark = await background('dark');
  const luminance = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((sum, v) => sum + Number(v), 0);
  assert.ok(luminance(light.bg) > luminance(light.fg), `light: ${JSON.stringify(light)}`);
  assert.ok(luminance(dark.bg) < luminance(dark.fg), `dark: ${JSON.stringify(dark)}`);
});

test('the interface speaks Indonesian to an Indonesian browser and switches to English', async () => {
  const { page, context, problems } = await app.open({ locale: 'id-ID' });
  await page.getByRole('region', { name: /Hasil/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  await page.getByRole('button', { name: 'Ganti bahasa antarmuka ke English' }).click();
  await page.getByRole('region', { name: /Results/ }).waitFor();
  // The page's lang is set by an effect, after the render that changed the texts.
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(problems, []);
  await context.close();
});
