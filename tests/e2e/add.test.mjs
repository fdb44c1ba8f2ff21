// Adding articles in the browser (issue #16, the worker): files in, the corpus with their articles out,
// read by the packer's readers, tagged by the recogniser and packed again, off the page's thread.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './support.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => {
  await app?.close();
});

/**
 * Sends the seed's pack and `files` (`[name, text or byte array]`) to a new worker in the page and
 * returns its answer, the kinds of message it sent, and what the JS API finds in the pack it made.
 */
const addInPage = (page, files) =>
  page.evaluate(async (files) => {
    const pack = new Uint8Array(await (await fetch('articles.pack')).arrayBuffer());
    const worker = new Worker('sorot-worker-loader.js');
    const kinds = [];
    const answer = new Promise((resolve) => {
      worker.onmessage = (e) => {
        kinds.push(e.data.type);
        if (e.data.type === 'added' || e.data.type === 'failed') resolve(e.data);
      };
    });
    const bytes = (b) => (typeof b === 'string' ? new TextEncoder().encode(b) : new Uint8Array(b));
    worker.postMessage({ pack, model: 'ner-model.bin', files: files.map(([name, b]) => ({ name, bytes: bytes(b) })) });
    const out = await answer;
    worker.terminate();
    if (out.type !== 'added') return { out, kinds };
    const { Sorot } = await import('./sorot.js');
    const sorot = Sorot.fromBytes(out.pack);
    const found = (q) => sorot.search(q, { limit: 10 }).hits.map((h) => h.id);
    return { out: { ...out, pack: out.pack.length }, kinds, size: sorot.size, banjir: found('banjir'), kerusuhan: found('kerusuhan'), polisi: found('polisi bandung'), article: sorot.article('banjir-1', null) };
  }, files);

test('the worker adds the good articles of the files given, tagged and searchable, and names each problem', async () => {
  const { page, context, problems } = await app.open({ path: 'index.html' });
  const result = await addInPage(page, [
    ['banjir.md', '---\nid: banjir-1\ntitle: Banjir di Jakarta\ndate: 31 Juli 2019\n---\nBanjir melanda Jakarta pada Senin. Gubernur DKI Jakarta Anies Baswedan meninjau lokasi banjir bersama Presiden Joko Widodo.\n'],
    ['feed.jsonl', '{"id": "f1", "body": "Polisi menangkap dua orang di Bandung, kata Kapolda Jawa Barat."}\n{"id": "f2", "body": \n'],
    ['gambar.png', [137, 80, 78, 71, 13, 10]],
  ]);
  assert.equal(result.out.type, 'added', JSON.stringify(result.out));
  assert.deepEqual(result.out.added, ['banjir-1', 'f1']);
  assert.deepEqual(result.out.refused, []);
  assert.deepEqual(result.out.problems, [
    'feed.jsonl:2: EOF while parsing a value (column 21) (skipped)',
    'gambar.png: not an article file (use .txt, .md, .json, .jsonl or .csv, or one of them .gz) (file skipped)',
  ]);
  assert.ok(result.kinds.includes('progress'), JSON.stringify(result.kinds));
  // The seed and the two added: each found by its words.
  assert.equal(result.size, 3);
  assert.deepEqual(result.banjir, ['banjir-1']);
  assert.deepEqual(result.polisi, ['f1']);
  assert.equal(result.kerusuhan.length, 1);
  // The date as the packer reads it, and the recogniser's entities in the added article.
  assert.equal(result.article.date, '2019-07-31');
  const entities = result.article.entities.map((e) => `${e.entity} (${e.type})`);
  for (const entity of ['Jakarta (LOC)', 'Anies Baswedan (PER)', 'Joko Widodo (PER)']) {
    assert.ok(entities.includes(entity), `${entity} in ${JSON.stringify(entities)}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('the worker says why nothing could be added, and an id already there is not added twice', async () => {
  const { page, context, problems } = await app.open({ path: 'index.html' });
  const none = await addInPage(page, [['kosong.txt', ''], ['rusak.txt', [97, 255, 98]]]);
  assert.equal(none.out.type, 'failed');
  assert.match(none.out.message, /^no article could be read: kosong\.txt: the article has no text .*rusak\.txt: not UTF-8 text/);
  const again = await addInPage(page, [['lagi.json', '[{"id": "000_ce9894c18006a3a8", "body": "Lagi."}, {"id": "baru", "body": "Artikel baru tentang Surabaya."}]']]);
  assert.equal(again.out.type, 'added');
  assert.deepEqual(again.out.added, ['baru']);
  assert.match(again.out.problems[0], /id "000_ce9894c18006a3a8" is already used by an article of the corpus/);
  assert.equal(again.size, 2);
  assert.deepEqual(problems, []);
  await context.close();
});
