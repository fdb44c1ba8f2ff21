// The JavaScript API as the README shows it: its example code, read out of README.md, runs as written
// in a page served with the build, so the two cannot drift apart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { modulePage as page, start } from './support.mjs';

const SEED_ID = '000_ce9894c18006a3a8';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

/** The first ```js block of the README's "JavaScript API" section. */
function readmeExample() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## JavaScript API$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'README.md has a "## JavaScript API" section');
  const code = section.match(/^```js\n([\s\S]*?)^```$/m)?.[1];
  assert.ok(code, 'the section has a ```js example');
  return code;
}


const finished = async (page) => (await page.waitForFunction(() => window.__done)).jsonValue();

test("the README's JavaScript API example runs as written and gives what its comments say", async () => {
  const example = readmeExample();
  assert.match(example, /from '\.\/sorot\.js'/, 'the example imports the stable entry point');
  // The example as written, then a line that hands its results to the test.
  const module = `${example}\nwindow.__done = { r, a, mounted: document.querySelector('main, .shell') !== null };`;
  const opened = await app.open({ path: 'readme-api.html', pages: { 'readme-api.html': page(module) } });
  const done = await finished(opened.page);
  assert.equal(done.error, undefined, `the example failed: ${done.error}`);
  const { r, a, mounted } = done;
  assert.equal(mounted, false, 'importing the API does not mount the explorer');

  // The search: the seed article, its snippet marked, and facets of the filtered results.
  assert.equal(r.total, 1);
  assert.equal(r.anyWordFallback, false);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.hits.length, 1);
  assert.equal(r.hits[0].id, SEED_ID);
  assert.ok(r.hits[0].score > 0);
  const { text, highlights } = r.hits[0].snippet;
  assert.ok(highlights.length > 0);
  for (const [start, end] of highlights) assert.equal(text.slice(start, end), 'kerusuhan');
  assert.ok(r.facets.some((f) => f.entity === 'Vladimir Putin' && f.type === 'PER' && f.articles === 1));

  // The article: every "kerusuhan" marked; entity mentions with their spans (UTF-16 offsets).
  assert.equal(a.id, SEED_ID);
  assert.equal(a.lang, 'id');
  assert.equal(a.highlights.length, 6);
  for (const [start, end] of a.highlights) assert.equal(a.body.slice(start, end), 'kerusuhan');
  const putin = a.entities.filter((e) => e.entity === 'Vladimir Putin');
  assert.ok(putin.length > 0);
  for (const e of putin) assert.match(a.body.slice(e.start, e.end), /Putin/);
  assert.deepEqual(opened.problems, []);
  await opened.context.close();
});

test('importing sorot.js fails with the reason when the wasm is missing', async () => {
  const module = "import('./sorot.js').then(() => { window.__done = 'loaded'; }, (e) => { window.__done = String(e); });";
  const opened = await app.open({
    path: 'missing-wasm.html',
    pages: { 'missing-wasm.html': page(module) },
    // A copy of the build folder without its wasm, say.
    routes: [[/_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: 'not here' })]],
  });
  const said = await finished(opened.page);
  assert.match(said, /Sorot cannot load .*_bg\.wasm: HTTP 404/);
  await opened.context.close();
});
