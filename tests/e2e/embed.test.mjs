// The <sorot-explorer> element on a news site's page (www/host.html), served with a strict
// Content-Security-Policy: two widgets, hostile host CSS, attributes changed at run time, events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOTS, axeViolations, start } from './support.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const HOSTILE = '* { font: 40px serif; color: red; line-height: 3; letter-spacing: 5px } div { padding: 30px } button { all: unset }';
const SEED_TITLE = /^Unit militer pimpinan Moskow yang dikerahkan ke Kazakhstan/;

let app;
before(async () => {
  app = await start({ headers: { 'content-security-policy': CSP } });
});
after(async () => {
  await app?.close();
});

/** Opens the host page with CSP violations and widget events recorded in `window.__seen`. */
async function openHost(options = {}) {
  const init = () => {
    window.__seen = { violations: [], events: [] };
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__seen.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    for (const type of ['sorot-search', 'sorot-open']) {
      document.addEventListener(type, (e) => window.__seen.events.push({ type, id: e.target.id, detail: e.detail }));
    }
  };
  const opened = await app.open({ path: 'host.html', init, viewport: { width: 1400, height: 1000 }, ...options });
  const { page } = opened;
  const sidebar = page.locator('#sidebar');
  const archive = page.locator('#archive');
  // Both widgets are up when each shows its result count.
  await sidebar.locator('.count').first().waitFor();
  await archive.locator('.count').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#sidebar').shadowRoot.querySelector('.loading'));
  return { ...opened, sidebar, archive };
}

const seen = (page) => page.evaluate(() => window.__seen);

test('two widgets on one page work independently, under a strict CSP, with no errors', async () => {
  const { page, context, problems, sidebar, archive } = await openHost();
  // The sidebar: its own pack, Indonesian, the query and a locked filter from its attributes.
  assert.equal(await sidebar.getByRole('searchbox', { name: 'Cari artikel' }).inputValue(), 'kazakhstan');
  const chip = sidebar.locator('.filters .chip');
  assert.equal(await chip.innerText().then((t) => t.includes('Vladimir Putin')), true);
  assert.equal(await sidebar.locator('.filters button').count(), 0, 'a locked filter cannot be removed');
  await sidebar.getByRole('button', { name: SEED_TITLE }).waitFor();
  // The archive: the bundled corpus, English, starting empty.
  const box = archive.getByRole('searchbox', { name: 'Search articles' });
  assert.equal(await box.inputValue(), '');
  await box.fill('navalny');
  await archive.getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.match(await archive.locator('mark').first().innerText(), /navalny/i);
  // Typing in one widget leaves the other alone.
  assert.equal(await sidebar.getByRole('searchbox').inputValue(), 'kazakhstan');
  await box.fill('tidakadakatasepertiini');
  await archive.getByText('0 articles').first().waitFor();
  await sidebar.getByRole('button', { name: SEED_TITLE }).waitFor();
  // The host page's own URL is not touched.
  assert.equal(new URL(page.url()).hash, '');
  await page.screenshot({ path: `${SCREENSHOTS}/embed-host.png`, fullPage: true });
  assert.deepEqual((await seen(page)).violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('host CSS does not get into the widget and the widget CSS does not get out', async () => {
  const { page, context, problems, archive } = await openHost();
  // Text that inherits its look (a button would not: browsers reset some inherited properties on buttons).
  const text = archive.locator('.result p').first();
  await text.waitFor();
  const look = () =>
    text.evaluate((el) => {
      const s = getComputedStyle(el);
      return { font: `${s.fontSize} ${s.fontFamily}`, color: s.color, spacing: s.letterSpacing, line: s.lineHeight };
    });
  const before = await look();
  const hostBefore = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { size: s.fontSize, background: s.backgroundColor, family: s.fontFamily };
  });
  // The host page itself keeps its own look: none of the widget's rules (body, :root, buttons) leak.
  assert.deepEqual(hostBefore, { size: '17px', background: 'rgb(255, 255, 255)', family: 'Georgia, "DejaVu Serif", serif' });

  // Hostile CSS arrives as a stylesheet of the site (inline <style> is not allowed by its CSP).
  await page.route('**/hostile.css', (route) => route.fulfill({ contentType: 'text/css', body: HOSTILE }));
  await page.evaluate(
    () =>
      new Promise((done) => {
        const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: 'hostile.css' });
        link.onload = done;
        document.head.append(link);
      }),
  );
  assert.equal(await page.locator('.byline').evaluate((el) => getComputedStyle(el).fontSize), '40px', 'the hostile CSS is live');
  assert.deepEqual(await look(), before);
  assert.notEqual(before.color, 'rgb(255, 0, 0)');
  await page.screenshot({ path: `${SCREENSHOTS}/embed-hostile-css.png`, fullPage: true });
  assert.deepEqual((await seen(page)).violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('attributes changed at run time take effect, and the page hears sorot-search and sorot-open', async () => {
  const { page, context, problems, sidebar, archive } = await openHost();
  await page.waitForFunction(() => window.__seen.events.some((e) => e.id === 'sidebar' && e.detail.total === 1));
  const first = (await seen(page)).events.find((e) => e.id === 'sidebar' && e.type === 'sorot-search');
  assert.deepEqual(first.detail, { query: 'person:"Vladimir Putin" kazakhstan', total: 1 });

  await page.locator('#sidebar').evaluate((el) => el.setAttribute('query', 'moskow'));
  await page.waitForFunction(() => window.__seen.events.some((e) => e.detail.query === 'person:"Vladimir Putin" moskow'));
  assert.equal(await sidebar.getByRole('searchbox').inputValue(), 'moskow');
  // Keys typed in one widget drive that one only: `j` moves the sidebar's cursor, not the archive's.
  await sidebar.locator('.results-bar').click();
  await page.keyboard.press('j');
  await sidebar.locator('.result.cursor').waitFor();
  assert.equal(await archive.locator('.result.cursor').count(), 0);

  await page.locator('#sidebar').evaluate((el) => el.setAttribute('lang', 'en'));
  await sidebar.getByRole('searchbox', { name: 'Search articles' }).waitFor();

  // Unlocked filters become ordinary, removable filters; a filter on another entity applies at once.
  await page.locator('#sidebar').evaluate((el) => {
    el.removeAttribute('locked-filters');
    el.setAttribute('filters', '-place:kazakhstan');
  });
  await sidebar.getByRole('button', { name: 'Remove filter Kazakhstan' }).waitFor();
  await sidebar.getByText('0 articles').first().waitFor();
  // Without the attribute, its filters go.
  await page.locator('#sidebar').evaluate((el) => el.removeAttribute('filters'));
  await sidebar.locator('.filters').waitFor({ state: 'detached' });

  await page.locator('#sidebar').evaluate((el) => el.setAttribute('height', '300px'));
  assert.equal(Math.round((await sidebar.boundingBox()).height), 300);

  // Opening an article tells the page which one.
  await archive.getByRole('button', { name: SEED_TITLE }).click();
  await archive.getByRole('article', { name: SEED_TITLE }).waitFor();
  // The event is dispatched by an effect, after the render that shows the article.
  await page.waitForFunction(() => window.__seen.events.some((e) => e.type === 'sorot-open'));
  const open = (await seen(page)).events.find((e) => e.type === 'sorot-open');
  assert.equal(open.id, 'archive');
  assert.equal(open.detail.id, '000_ce9894c18006a3a8');
  assert.match(open.detail.title, SEED_TITLE);
  assert.deepEqual((await seen(page)).violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a widget whose pack is missing says so and the rest of the page keeps working', async () => {
  const { page, context, problems } = await app.open({ path: 'host.html' });
  await page.locator('#archive').locator('.count').first().waitFor();
  await page.evaluate(() => {
    const el = document.createElement('sorot-explorer');
    el.id = 'broken';
    el.setAttribute('pack', 'no-such.pack');
    el.setAttribute('lang', 'en');
    document.querySelector('.below').append(el);
  });
  const alert = page.locator('#broken').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /no-such\.pack/);
  assert.match(await alert.innerText(), /404/);
  // The other widgets still search.
  await page.locator('#archive').getByRole('searchbox').fill('putin');
  await page.locator('#archive').getByRole('button', { name: SEED_TITLE }).waitFor();
  assert.deepEqual(problems.filter((p) => !p.includes('no-such.pack') && !p.includes('404 (Not Found)')), []);
  await context.close();
});

test('axe-core finds no accessibility violations inside the widgets', async () => {
  // axe is injected as an inline script, which the page's CSP would refuse: this test alone bypasses it.
  const { page, context } = await openHost({ bypassCSP: true });
  const violations = await axeViolations(page);
  assert.deepEqual(violations, []);
  await context.close();
});
