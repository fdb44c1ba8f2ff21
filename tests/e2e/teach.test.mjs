// Teaching mode (teach.html): the switch from the explorer keeps the view; the query's analysis shows
// each word's way to its root and the terms searched; each result's breakdown adds up to the score the
// explorer ranked it by; the page passes axe with the panel open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOTS, axeViolations, showsQuery, start } from './support.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

/** The analysis table's rows as `{ typed, normalized, stopword, roots, searched }` texts. */
const analysisRows = (page) =>
  page.locator('table.teach-analysis tbody tr').evaluateAll((rows) =>
    rows.map((r) => {
      const [typed, normalized, stopword, roots, searched] = [...r.children].map((c) => c.innerText.trim());
      return { typed, normalized, stopword, roots, searched };
    }),
  );

test('"Show the work" opens teaching mode on the same search, with the analysis and breakdowns that add up', async () => {
  const { page, context, problems } = await app.open({
    path: 'index.html?pack=fixtures.pack',
    viewport: { width: 1440, height: 1000 },
  });
  const search = page.getByRole('searchbox', { name: 'Search articles' });
  await search.fill('Menahan OR kazakstan');
  await showsQuery(page, 'Menahan OR kazakstan');
  // The explorer itself carries no explanations: they are the teaching page's.
  assert.equal(await page.locator('.teach').count(), 0);
  await page.getByRole('link', { name: 'Show the work' }).click();
  await page.waitForURL(/teach\.html\?pack=fixtures\.pack#q=Menahan/);
  await page.getByRole('heading', { name: 'How the search works' }).waitFor();
  assert.equal(await search.inputValue(), 'Menahan OR kazakstan');

  // Each word through the analysis: as typed, normalised, its root by the rules that found it.
  const rows = await analysisRows(page);
  const word = rows.find((r) => r.typed === 'Menahan');
  assert.ok(word, JSON.stringify(rows));
  assert.equal(word.normalized, 'menahan');
  // meN- before a vowel: the nasal n took the place of the root's t.
  assert.match(word.roots, /tahan ← prefix men- \(t→n\) · a word of the corpus/);
  assert.match(word.searched, /ditahan — same root “tahan”/);
  const typo = rows.find((r) => r.typed === 'kazakstan');
  assert.match(typo.searched, /kazakhstan — typo \(1\)/);

  // Each breakdown: its clauses add up to the sum, the sum times the title factor is the score, and
  // the score is the one the explorer ranked by (in the order it lists the results).
  const hits = await page.locator('details.teach-hit').evaluateAll((details) =>
    details.map((d) => ({
      place: Number(d.dataset.place),
      clauses: [...d.querySelectorAll('.teach-clause-score')].map((c) => Number(c.dataset.score)),
      total: Number(d.querySelector('.teach-total').dataset.score),
      sum: Number(d.querySelector('.teach-total').dataset.sum),
      factor: Number(d.querySelector('.teach-total').dataset.factor),
    })),
  );
  assert.ok(hits.length >= 2, JSON.stringify(hits));
  for (const h of hits) {
    const sum = h.clauses.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - h.sum) <= 1e-5 * Math.max(1, h.sum), JSON.stringify(h));
    assert.ok(Math.abs(h.sum * h.factor - h.total) <= 1e-5 * Math.max(1, h.total), JSON.stringify(h));
  }
  assert.deepEqual(hits.map((h) => h.place), hits.map((_, i) => i + 1));
  const scores = await page.evaluate(async () => {
    const { Sorot } = await import('./sorot.js');
    const sorot = await Sorot.fromUrl('fixtures.pack');
    return sorot.search('Menahan OR kazakstan', { limit: 10, prefix: true }).hits.map((h) => h.score);
  });
  assert.deepEqual(hits.map((h) => h.total.toFixed(3)), scores.slice(0, hits.length).map((s) => s.toFixed(3)));

  // Open, a breakdown reads as a table; the page passes axe.
  await page.locator('details.teach-hit summary').first().click();
  await page.locator('details.teach-hit[open] table.teach-breakdown').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${SCREENSHOTS}/teach-desktop.png`, fullPage: true });

  // Pictures of the results: each chart's marks carry the numbers its table has, and the numbers
  // are the facets pane's; a bar filters by its entity, from the keyboard too.
  await page.getByRole('heading', { name: 'Pictures of the results' }).waitFor();
  const bars = await page.locator('.teach-bars[data-type="LOC"] g.teach-bar').evaluateAll((gs) =>
    gs.map((g) => [g.dataset.name, Number(g.dataset.articles)]),
  );
  const barTable = await page.locator('.teach-bars[data-type="LOC"] table tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.children[0].textContent, Number(r.children[1].textContent)]),
  );
  assert.deepEqual(bars, barTable);
  assert.deepEqual(bars[0], ['Kazakhstan', 2]);
  const edges = await page.locator('line.teach-edge').evaluateAll((ls) => ls.map((l) => [l.dataset.pair.replace('|', ' — '), Number(l.dataset.shared)]));
  const edgeTable = await page.locator('.teach-network table tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.children[0].textContent, Number(r.children[1].textContent)]),
  );
  assert.deepEqual(edges, edgeTable);
  assert.ok(edges.some(([pair, n]) => pair.includes('Kazakhstan') && pair.includes('Vladimir Putin') && n === 2), JSON.stringify(edges));
  const periods = await page.locator('rect.teach-period').evaluateAll((rs) => rs.map((r) => [r.dataset.period, Number(r.dataset.articles)]));
  const periodTable = await page.locator('.teach-timeline table tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.children[0].textContent, Number(r.children[1].textContent)]),
  );
  assert.deepEqual(periods, periodTable.filter(([p]) => p !== 'no date'));
  const dated = periods.reduce((n, [, k]) => n + k, 0);
  const undated = periodTable.find(([p]) => p === 'no date')?.[1] ?? 0;
  assert.equal(dated + undated, 2, 'every result is in the timeline or counted undated');
  await page.locator('.teach-node[data-name="Kazakhstan"]').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /Remove filter.*Kazakhstan|Kazakhstan.*remove/i }).or(page.locator('.active-filters').getByText('Kazakhstan')).first().waitFor();
  assert.match(await page.evaluate(() => location.hash), /in=LOC:Kazakhstan/);

  // Why a name is an entity: the open article's mentions, each with how it joined its entity.
  await page.getByRole('button', { name: /^Unit militer pimpinan Moskow/ }).click();
  await page.getByRole('heading', { name: 'Why these are entities' }).waitFor();
  const mentions = await page.locator('table.teach-mentions tbody tr:not(.teach-ner-row)').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.innerText.trim())),
  );
  const row = (text) => mentions.find((m) => m[0] === text);
  assert.deepEqual(row('Putin')?.slice(0, 3), ['Putin', 'Vladimir Putin (person)', 'part of “Vladimir Putin”, which this article also has']);
  assert.deepEqual(row('CSTO')?.slice(1, 3), ['Organisasi Perjanjian Keamanan Kolektif (organisation)', 'an acronym in parentheses after its name']);
  assert.equal(row('Vladimir Putin')?.[2], 'it is its name');
  // The recogniser's work, once its model is in: the tags of each word of the name, by the decoder
  // that tagged it when the corpus was packed.
  const recogniser = page.locator('details.teach-ner[data-name="Vladimir Putin"]');
  await recogniser.waitFor();
  assert.match(await recogniser.locator('summary').innerText(), /^Recogniser: B-PER I-PER — an entity of the best tag path/);
  await recogniser.locator('summary').click();
  assert.match(await recogniser.innerText(), /Putin I-PER \(runner-up [A-Z-]+, margin \d+\.\d\)/);
  // The whole sentence's tags, the name's words among them.
  assert.match(await recogniser.locator('.teach-sentence').innerText(), /VladimirB-PER PutinI-PER/);
  assert.deepEqual((await recogniser.locator('.teach-token.in-mention').allInnerTexts()).map((t) => t.trim()), ['VladimirB-PER', 'PutinI-PER']);
  // CSTO: tagged with its name, split off by the merging.
  const csto = page.locator('details.teach-ner[data-name="CSTO"] summary');
  assert.match(await csto.innerText(), /the recogniser tagged “Organisasi Perjanjian Keamanan Kolektif \(CSTO\)”; the merging split off/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${SCREENSHOTS}/teach-entities.png`, fullPage: true });

  // Back to the explorer, on the same search.
  await page.getByRole('link', { name: 'Hide the work' }).click();
  await page.waitForURL(/index\.html\?pack=fixtures\.pack#q=Menahan.*&a=/);
  await page.getByRole('link', { name: 'Show the work' }).waitFor();
  assert.equal(await page.locator('.teach').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a shared view with explain=1 opens in teaching mode, in Bahasa Indonesia too', async () => {
  const { page, context, problems } = await app.open({ path: 'index.html#q=yang%20kerusuhan&explain=1', locale: 'id-ID' });
  await page.waitForURL(/teach\.html#q=yang/);
  await page.getByRole('heading', { name: 'Cara kerja pencarian' }).waitFor();
  const rows = await analysisRows(page);
  const yang = rows.find((r) => r.typed === 'yang');
  assert.ok(yang, JSON.stringify(rows));
  assert.match(yang.stopword, /^ya \(id/);
  // The seed's kerusuhan comes to its root rusuh by two rules, outside in.
  const kerusuhan = rows.find((r) => r.typed === 'kerusuhan');
  assert.match(kerusuhan.roots, /rusuh ← akhiran -an \+ awalan ke-/);
  // A stopword among other words: shown as such in the query's structure.
  assert.match(await page.locator('.teach-tree').first().innerText(), /yang — kata, judul dan isi, kata henti/);
  await page.screenshot({ path: `${SCREENSHOTS}/teach-id.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();

  // Entered later into the explorer's address bar (the same document, a new hash): teaching mode too.
  const later = await app.open({ path: 'index.html#q=rusuh' });
  await showsQuery(later.page, 'rusuh');
  await later.page.goto(later.page.url().replace('#q=rusuh', '#q=kerusuhan&explain=1'));
  await later.page.waitForURL(/teach\.html#q=kerusuhan&explain=1/);
  await later.page.getByRole('heading', { name: 'Cara kerja pencarian' }).or(later.page.getByRole('heading', { name: 'How the search works' })).waitFor();
  assert.deepEqual(later.problems, []);
  await later.context.close();
});

test('teaching mode on a split pack reads the pieces it needs and explains as the whole pack does', async () => {
  const scores = {};
  for (const pack of ['fixtures.pack', 'fixtures-split/entry.sorot']) {
    const { page, context, problems } = await app.open({ path: `teach.html?pack=${pack}#q=Menahan%20OR%20kazakstan` });
    await page.locator('details.teach-hit').nth(1).waitFor();
    scores[pack] = await page.locator('details.teach-hit .teach-total').evaluateAll((ts) => ts.map((t) => t.dataset.score));
    const rows = await analysisRows(page);
    assert.match(rows.find((r) => r.typed === 'Menahan').roots, /tahan ← prefix men- \(t→n\)/);
    await page.getByRole('button', { name: /^Unit militer pimpinan Moskow/ }).click();
    await page.locator('details.teach-ner[data-name="Vladimir Putin"]').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  }
  assert.deepEqual(scores['fixtures-split/entry.sorot'], scores['fixtures.pack']);
});
