// Entities in the explorer: marks in the text, facets that follow the query, filters, the entity
// panel, and exports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SCREENSHOTS, axeViolations, start } from './support.mjs';

const SEED_TITLE = /^Unit militer pimpinan Moskow/;

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

const resultsCount = (page) => page.getByRole('region', { name: /Results/ }).locator('.count');

test('entity marks are typed, explain themselves on hover, and filter on click', async () => {
  const { page, context, problems } = await app.open({ viewport: { width: 1440, height: 900 } });
  await page.getByRole('button', { name: SEED_TITLE }).click();
  const article = page.getByRole('article', { name: SEED_TITLE });
  await article.waitFor();
  const putin = article.locator('[data-entity="Vladimir Putin"]');
  assert.equal(await putin.count(), 6);
  assert.equal(await putin.first().getAttribute('data-entity-type'), 'PER');
  assert.deepEqual(
    [...new Set(await article.locator('[data-entity-type]').evaluateAll((els) => els.map((e) => e.dataset.entityType)))].sort(),
    ['LOC', 'ORG', 'PER'],
  );
  // The bare "Putin" is him too.
  assert.ok((await putin.allInnerTexts()).includes('Putin'));
  await putin.nth(1).hover();
  const tip = putin.nth(1).locator('.tip');
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.innerText(), /person\s*Vladimir Putin\s*also: Putin/i);
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-entities.png` });
  await putin.nth(1).click();
  const filters = page.getByRole('region', { name: 'Active filters' });
  await filters.getByText('Vladimir Putin').waitFor();
  await page.waitForFunction(() => location.hash.includes('in=PER:Vladimir%20Putin'));
  assert.equal(await resultsCount(page).innerText(), '1 article');
  await page.mouse.move(0, 0); // close the tooltip: axe checks the page at rest
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('include and exclude facets change the results and the counts', async () => {
  const { page, context, problems } = await app.open({ path: '?pack=fixtures.pack' });
  await resultsCount(page).filter({ hasText: '5 articles' }).waitFor();
  const facets = page.getByRole('complementary', { name: 'Entities' });
  await facets.getByRole('button', { name: 'Kazakhstan 2 articles' }).click();
  await resultsCount(page).filter({ hasText: '2 articles' }).waitFor();
  assert.equal(await facets.getByRole('button', { name: 'Kazakhstan 2 articles' }).getAttribute('aria-pressed'), 'true');
  // Counts follow the results: Jakarta is in neither of the two articles.
  assert.equal(await facets.getByRole('button', { name: /^Jakarta,/ }).count(), 0);
  await facets.getByRole('button', { name: 'Exclude Alexei Navalny' }).click();
  await resultsCount(page).filter({ hasText: '1 article' }).waitFor();
  await page.getByRole('button', { name: /^Kremlin <script>/ }).waitFor();
  const filters = page.getByRole('region', { name: 'Active filters' });
  assert.match(await filters.innerText(), /Kazakhstan[\s\S]*not\s+Alexei Navalny/);
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-facets.png` });
  assert.deepEqual(await axeViolations(page), []);
  await filters.getByRole('button', { name: 'Remove filter Kazakhstan' }).click();
  await resultsCount(page).filter({ hasText: '4 articles' }).waitFor();
  await filters.getByRole('button', { name: 'Clear all filters' }).click();
  await resultsCount(page).filter({ hasText: '5 articles' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('with a filter on, a warning underlines its own part of what the user typed', async () => {
  // The filter is not part of the box's text: the underlined fragment must still be the unclosed phrase.
  const { page, context, problems } = await app.open({ path: '#in=PER:Vladimir%20Putin' });
  await page.getByRole('region', { name: 'Active filters' }).getByText('Vladimir Putin').waitFor();
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.fill(' putin "revolusi warna');
  const warning = page.locator('#search-warnings li').filter({ hasText: 'quote is not closed' });
  await warning.waitFor();
  assert.equal(await warning.locator('code').innerText(), '"revolusi warna');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a type with many entities lists the first eight, shows them all on request, and keeps that while searching', async () => {
  const { page, context, problems } = await app.open();
  const facets = page.getByRole('complementary', { name: 'Entities' });
  const showMore = /^Show \d+ more$/;
  const first = facets.locator('.facet-group').filter({ has: page.getByRole('button', { name: showMore }) }).first();
  await first.waitFor();
  // Found by its type from now on: once the list is whole, the group has no "more" button.
  const group = facets.locator(`.facet-group[data-entity-type="${await first.getAttribute('data-entity-type')}"]`);
  const more = group.getByRole('button', { name: showMore });
  const hidden = Number((await more.innerText()).match(/\d+/)[0]);
  assert.equal(await group.locator('li').count(), 8);
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.click();
  const fewer = group.getByRole('button', { name: 'Show fewer' });
  await fewer.waitFor();
  assert.equal(await fewer.getAttribute('aria-expanded'), 'true');
  assert.equal(await group.locator('li').count(), 8 + hidden);
  // A search keeps the list whole (the seed article matches, so its entities stay).
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('putin');
  await page.getByRole('status').filter({ hasText: '1 article found' }).waitFor();
  await fewer.waitFor();
  await fewer.click();
  await more.waitFor();
  assert.equal(await group.locator('li').count(), 8);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the entity panel shows mentions in context and what co-occurs, and opens an article at a mention', async () => {
  const { page, context, problems } = await app.open({ path: '?pack=fixtures.pack', viewport: { width: 1440, height: 900 } });
  await resultsCount(page).filter({ hasText: '5 articles' }).waitFor();
  await page.getByRole('complementary', { name: 'Entities' }).getByRole('button', { name: 'Details of Vladimir Putin' }).click();
  const panel = page.getByRole('complementary', { name: 'Vladimir Putin' });
  await panel.waitFor();
  const lines = panel.locator('.kwic');
  assert.equal(await lines.count(), 8);
  assert.match(await lines.first().innerText(), /Putin/);
  assert.ok((await panel.locator('.chips').innerText()).includes('Kazakhstan'));
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-entity-panel.png` });
  assert.deepEqual(await axeViolations(page), []);
  await lines.nth(2).click();
  await page.getByRole('article').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('results and entities export as CSV and JSON', async () => {
  const { page, context, problems } = await app.open({ path: '?pack=fixtures.pack' });
  await resultsCount(page).filter({ hasText: '5 articles' }).waitFor();
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('kremlin');
  await resultsCount(page).filter({ hasText: '2 articles' }).waitFor();
  const download = async (label) => {
    await page.locator('details.export').evaluate((d) => {
      d.open = true;
    });
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
  };
  const csv = await download('Results (CSV)');
  assert.equal(csv.name, 'sorot-results.csv');
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'rank,id,title,date,source,url,score,snippet,entities');
  assert.equal(lines.filter((l) => l).length, 3);
  // The hostile title has a comma-free quote: RFC 4180 doubles it inside a quoted field.
  assert.ok(csv.text.includes('"Kremlin <script>alert(1)</script> responds to <img src=x onerror=""window.__pwned=1""> protests"'));
  const json = JSON.parse((await download('Results (JSON)')).text);
  assert.equal(json.length, 2);
  assert.deepEqual(Object.keys(json[0]).sort(), ['date', 'entities', 'id', 'rank', 'score', 'snippet', 'source', 'title', 'url']);
  assert.ok(json.some((r) => r.entities.includes('Vladimir Putin')));
  const entities = JSON.parse((await download('Entities (JSON)')).text);
  const putin = entities.find((e) => e.entity === 'Vladimir Putin');
  assert.deepEqual(putin, { entity: 'Vladimir Putin', type: 'PER', aliases: ['Putin'], articles: 2, mentions: 8 });
  const entitiesCsv = await download('Entities (CSV)');
  assert.ok(entitiesCsv.text.startsWith('entity,type,aliases,articles,mentions\r\n'));
  assert.ok(entitiesCsv.text.includes('\r\nVladimir Putin,PER,Putin,2,8\r\n'));
  assert.deepEqual(problems, []);
  await context.close();
});
