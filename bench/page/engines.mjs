// One adapter per search library, each set up the way its documentation suggests for two text fields:
// title (boosted where the library can) and body, article ids stored, nothing else. Every adapter has
// the same shape:
//
//   open()                 load the library's code (not timed)
//   build(articles, cap)   index `{ id, title, body }` objects in chunks; stops early past `cap` ms
//   search(query)          → { ids, total }: the ids of the top 10 in rank order (best first), and how
//                            many articles matched, for a known-item query `{ kind, text, words }`
//   serialize()            → the library's own export as strings (one, or its natural parts; a single
//                            JS string cannot pass 2^29 characters), or null where it has none
//   reload(parts)          rebuild a searchable index from those strings (timed by the caller)
//
// How each library gets each kind of query is in `options(kind)` / the query strings below; the
// benchmark's README explains the choices. Sorot gets the query's `text` (its own syntax: `kaza*`,
// `"a b"`; typos as typed); the others get its `words` with their own option for the kind:
//
//   one/two/three words, stemmed   the library's default
//   prefix                         its prefix option, on the last word only (all but the last are whole)
//   typo                           its fuzzy option
//   phrase                         all words required (none of them has phrase search)

const CHUNK = 500;

/** Calls `add(chunk)` over `articles` in chunks; returns how many were added before `capMs` ran out. */
function chunked(articles, capMs, add) {
  const started = performance.now();
  let done = 0;
  while (done < articles.length) {
    add(articles.slice(done, done + CHUNK));
    done = Math.min(articles.length, done + CHUNK);
    if (performance.now() - started > capMs) break;
  }
  return done;
}

/** The top ten of a list the library sorted best first (by its score), and its length. */
const top = (list, id = (x) => x.id) => ({ ids: list.slice(0, 10).map(id), total: list.length });

export const sorot = {
  name: 'Sorot',
  async open({ appJs, appWasm }) {
    const mod = await import(appJs);
    this.wasm = await mod.default({ module_or_path: appWasm });
    this.Sorot = mod.Sorot;
  },
  /** Fetch and decode a pack (what a page embedding Sorot does). */
  async load(packUrl) {
    this.engine = await this.Sorot.fromUrl(packUrl);
    return this.engine.size;
  },
  /** Decode pack bytes already in memory; frees the result. */
  decode(bytes) {
    const engine = this.Sorot.fromBytes(bytes);
    const n = engine.size;
    engine.free();
    return n;
  },
  /**
   * The headline run does what the target names (BM25, stems, highlight spans: a snippet with
   * highlights for each of the 10 hits) and no facets; the "+ facets" run adds the 20 entity facets of
   * all matches that the explorer shows.
   */
  options: { snippets: true, facets: 0 },
  search(q) {
    // Hits come ranked (BM25), best first.
    const r = this.engine.search(q.text, { limit: 10, prefix: false, filters: [], ...this.options });
    return { ids: r.hits.map((h) => h.id), total: r.total };
  },
  wasmBytes() {
    return this.wasm.memory.buffer.byteLength;
  },
};

export const minisearch = {
  name: 'MiniSearch',
  async open({ vendor }) {
    this.MiniSearch = (await import(`${vendor}/minisearch/dist/es/index.js`)).default;
  },
  config: { idField: 'id', fields: ['title', 'body'], storeFields: [], searchOptions: { boost: { title: 2 } } },
  build(articles, capMs) {
    this.index = new this.MiniSearch(this.config);
    return chunked(articles, capMs, (chunk) => this.index.addAll(chunk));
  },
  options(kind) {
    if (kind === 'prefix') return { prefix: (_term, i, terms) => i === terms.length - 1 };
    if (kind === 'typo') return { fuzzy: 0.2 };
    if (kind === 'phrase') return { combineWith: 'AND' };
    return {};
  },
  search(q) {
    // Every match, sorted by score (BM25+), best first.
    return top(this.index.search(q.words.join(' '), this.options(q.kind)));
  },
  serialize() {
    return [JSON.stringify(this.index)];
  },
  reload([text]) {
    this.reloaded = this.MiniSearch.loadJSON(text, this.config);
  },
};

export const flexsearch = {
  name: 'FlexSearch',
  async open({ vendor }) {
    this.FlexSearch = await import(`${vendor}/flexsearch/dist/flexsearch.bundle.module.min.mjs`);
  },
  // "forward" tokenisation is FlexSearch's way to match prefixes; fields are searched in order, so the
  // title's matches come first (its form of a title boost).
  config: { tokenize: 'forward', document: { id: 'id', index: ['title', 'body'] } },
  build(articles, capMs) {
    this.index = new this.FlexSearch.Document(this.config);
    return chunked(articles, capMs, (chunk) => {
      for (const a of chunk) this.index.add(a);
    });
  },
  options(kind) {
    // No edit-distance search: `suggest` accepts results that match only some of the words.
    return kind === 'typo' ? { limit: 10, merge: true, suggest: true } : { limit: 10, merge: true };
  },
  search(q) {
    // With `merge`, one entry per article in FlexSearch's order of relevance, title matches first.
    const r = this.index.search(q.words.join(' '), this.options(q.kind));
    return { ids: r.slice(0, 10).map((x) => x.id), total: r.length };
  },
  // FlexSearch exports key/data pairs (data is JSON), meant to be stored one by one: a line per pair,
  // `key<TAB>data`. The data is not wrapped again: one pair can be a quarter of a billion characters.
  async serialize() {
    const parts = [];
    await this.index.export((key, data) => {
      parts.push(`${key}\t${data}\n`);
    });
    return parts;
  },
  reload(parts) {
    const index = new this.FlexSearch.Document(this.config);
    for (const line of parts) {
      const tab = line.indexOf('\t');
      index.import(line.slice(0, tab), line.slice(tab + 1, -1));
    }
    this.reloaded = index;
  },
};

export const lunr = {
  name: 'Lunr',
  async open({ vendor }) {
    // lunr.js is a UMD script: it defines window.lunr.
    await new Promise((ok, fail) => {
      const s = document.createElement('script');
      s.src = `${vendor}/lunr/lunr.js`;
      s.onload = ok;
      s.onerror = () => fail(new Error('lunr.js did not load'));
      document.head.append(s);
    });
    this.lunr = window.lunr;
  },
  build(articles, capMs) {
    // What `lunr(function () { … })` does, with the documents added in chunks so a time cap can stop it.
    const lunr = this.lunr;
    const builder = new lunr.Builder();
    builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    builder.searchPipeline.add(lunr.stemmer);
    builder.ref('id');
    builder.field('title', { boost: 2 });
    builder.field('body');
    const done = chunked(articles, capMs, (chunk) => {
      for (const a of chunk) builder.add(a);
    });
    this.index = builder.build();
    return done;
  },
  queryString(q) {
    if (q.kind === 'prefix') return q.words.map((w, i) => (i === q.words.length - 1 ? `${w}*` : w)).join(' ');
    if (q.kind === 'typo') return q.words.map((w) => `${w}~1`).join(' ');
    if (q.kind === 'phrase') return q.words.map((w) => `+${w}`).join(' ');
    return q.words.join(' ');
  },
  search(q) {
    // Every match, sorted by score (BM25), best first.
    return top(this.index.search(this.queryString(q)), (r) => r.ref);
  },
  serialize() {
    return [JSON.stringify(this.index)];
  },
  reload([text]) {
    this.reloaded = this.lunr.Index.load(JSON.parse(text));
  },
};

export const orama = {
  name: 'Orama',
  async open({ vendor }) {
    this.orama = await import(`${vendor}/@orama/orama/dist/browser/index.js`);
  },
  // Orama is a document store: it keeps the documents it is given (here id, title and body).
  schema: { title: 'string', body: 'string' },
  build(articles, capMs) {
    this.index = this.orama.create({ schema: this.schema });
    return chunked(articles, capMs, (chunk) => this.orama.insertMultiple(this.index, chunk, chunk.length));
  },
  options(kind) {
    const base = { properties: ['title', 'body'], boost: { title: 2 }, limit: 10 };
    if (kind === 'typo') return { ...base, tolerance: 1 };
    if (kind === 'phrase') return { ...base, threshold: 0 };
    return base; // Orama matches prefixes of every word by default.
  },
  search(q) {
    const r = this.orama.search(this.index, { term: q.words.join(' '), ...this.options(q.kind) });
    if (typeof r?.then === 'function') throw new Error('Orama search returned a promise');
    // The top `limit` by score (BM25), best first; `count` is every match.
    return { ids: r.hits.map((h) => h.id), total: r.count };
  },
  // save() gives one object; its parts (index, documents, …) are written as one line each.
  serialize() {
    return Object.entries(this.orama.save(this.index)).map((entry) => JSON.stringify(entry) + '\n');
  },
  reload(parts) {
    const db = this.orama.create({ schema: this.schema });
    this.orama.load(db, Object.fromEntries(parts.map((line) => JSON.parse(line))));
    this.reloaded = db;
  },
};

export const engines = { sorot, minisearch, flexsearch, lunr, orama };
