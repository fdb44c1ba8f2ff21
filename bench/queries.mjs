// The benchmark's 100 queries, drawn deterministically (fixed seed) from the first 1,000 generated
// articles. Every corpus size starts with those same 1,000 articles (the generator numbers articles and
// seeds each one by its number), so every size is asked the same queries.
//
// Kinds (count): word (20), two words (15), stemmed (20), phrase (15), prefix (15), typo (15).
// Stemmed (three words) and typo (two words) queries have a target article, for recall in the top 10.

/** Mulberry32: a small deterministic generator. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n) => Math.floor(next() * Math.max(1, n)) };
}

/** Lower-case words of a text (letters only, so numbers and punctuation never reach a query). */
export function words(text) {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** Pairs of adjacent words separated by exactly one space inside a sentence: phrase candidates. */
function adjacentPairs(text) {
  const pairs = [];
  for (const m of text.toLowerCase().matchAll(/(?<![\p{L}\p{N}-])(\p{L}{3,}) (\p{L}{3,})(?![\p{L}\p{N}-])/gu)) {
    pairs.push([m[1], m[2]]);
  }
  return pairs;
}

const VOWEL = /^[aiueo]/;

/**
 * Candidate roots of an Indonesian word: prefixes meN-/peN- (with their sound changes), di-, ber-,
 * ter-, ke-, se-, per- and suffixes -kan, -an, -i, -nya, -lah, -kah stripped in every combination.
 * Over-generates on purpose: only roots that the corpus itself writes as a word are kept.
 */
export function roots(word) {
  const out = new Set();
  const stems = new Set([word]);
  for (const particle of ['nya', 'lah', 'kah']) if (word.endsWith(particle)) stems.add(word.slice(0, -particle.length));
  for (const s of [...stems]) {
    for (const suffix of ['kan', 'an', 'i']) if (s.endsWith(suffix)) stems.add(s.slice(0, -suffix.length));
  }
  for (const s of stems) {
    out.add(s);
    for (const p of ['di', 'ber', 'be', 'ter', 'ke', 'se', 'per']) if (s.startsWith(p)) out.add(s.slice(p.length));
    for (const [me, pe] of [['me', 'pe']]) {
      for (const lead of [me, pe]) {
        if (!s.startsWith(lead)) continue;
        const rest = s.slice(lead.length);
        if (rest.startsWith('ng')) {
          const r = rest.slice(2);
          out.add(r);
          if (VOWEL.test(r)) out.add('k' + r);
        } else if (rest.startsWith('ny')) {
          out.add('s' + rest.slice(2));
        } else if (rest.startsWith('m')) {
          const r = rest.slice(1);
          out.add(r);
          if (VOWEL.test(r)) out.add('p' + r);
        } else if (rest.startsWith('n')) {
          const r = rest.slice(1);
          out.add(r);
          if (VOWEL.test(r)) out.add('t' + r);
        } else {
          out.add(rest);
        }
      }
    }
  }
  return [...out].filter((r) => r.length >= 4);
}

/** meN-/peN- + root with the nasal sound change (`tahan` → `menahan`, `pukul` → `memukul`). */
function nasal(lead, root) {
  const c = root[0];
  if (VOWEL.test(root) || 'gh'.includes(c)) return lead + 'ng' + root;
  if (c === 'k') return lead + 'ng' + root.slice(1);
  if (c === 'p') return lead + 'm' + root.slice(1);
  if ('bfv'.includes(c)) return lead + 'm' + root;
  if (c === 't') return lead + 'n' + root.slice(1);
  if ('dcjz'.includes(c)) return lead + 'n' + root;
  if (c === 's') return lead + 'ny' + root.slice(1);
  return lead + root;
}

/** Affixed forms of a root: the forms a reader might type for the same meaning. */
export function forms(root) {
  const out = [root, root + 'nya', root + 'kan', root + 'an', root + 'i', 'ke' + root + 'an', 'di' + root,
    'di' + root + 'kan', 'di' + root + 'i', 'ber' + root, 'ter' + root, 'per' + root + 'an', 'se' + root,
    nasal('me', root), nasal('me', root) + 'kan', nasal('me', root) + 'i', nasal('pe', root), nasal('pe', root) + 'an'];
  return [...new Set(out)];
}

/**
 * Other attested forms of `word` sharing one of its roots and absent from the article (`present`),
 * rarest first. The root must itself be a word of the corpus, in at least three articles.
 */
function stemVariants(word, present, vocabulary, df) {
  const variants = new Set();
  for (const root of roots(word)) {
    if (!vocabulary.has(root) || df.get(root) < 3) continue;
    for (const f of forms(root)) if (f !== word && vocabulary.has(f) && !present.has(f)) variants.add(f);
  }
  return [...variants].sort((a, b) => df.get(a) - df.get(b) || (a < b ? -1 : 1));
}

/** `word` with one letter deleted or replaced (alternating), not itself a word of the corpus. */
function typo(word, vocabulary, random, replace) {
  const letters = 'aeiounrstkgmlpbdh';
  for (let attempt = 0; attempt < 10; attempt++) {
    const i = 1 + random.below(word.length - 2);
    const t = replace
      ? word.slice(0, i) + letters[(letters.indexOf(word[i]) + 1 + random.below(letters.length - 1)) % letters.length] + word.slice(i + 1)
      : word.slice(0, i) + word.slice(i + 1);
    if (t !== word && !vocabulary.has(t)) return t;
  }
  return null;
}

/**
 * The 100 queries: `{ kind, text, words, target? }`. `text` is in Sorot's query language; `words` are
 * the plain words that the other libraries get with their own prefix/fuzzy/AND options.
 */
export function makeQueries(articles, { seed = 4242, pool = 1000 } = {}) {
  const random = rng(seed);
  const docs = articles.slice(0, pool).map((a) => {
    const tokens = words(a.title + ' ' + a.body);
    return { id: a.id, tokens, present: new Set(tokens), pairs: adjacentPairs(a.body) };
  });
  const df = new Map();
  for (const d of docs) for (const w of d.present) df.set(w, (df.get(w) ?? 0) + 1);
  const vocabulary = new Set(df.keys());
  // Words the corpus also writes in lower case: common words, not names (`Dominici`, `Leda`).
  const common = new Set();
  for (const a of articles.slice(0, pool)) for (const w of (a.title + ' ' + a.body).match(/\p{L}+/gu) ?? []) if (w === w.toLowerCase()) common.add(w);
  // The rarer words of an article, for queries that should single it out among many.
  const rare = (d, min) => [...d.present].filter((w) => w.length >= min).sort((a, b) => df.get(a) - df.get(b) || (a < b ? -1 : 1)).slice(0, 24);

  const plan = [['word', 20], ['two words', 15], ['stemmed', 20], ['phrase', 15], ['prefix', 15], ['typo', 15]];
  const queries = [];
  for (const [kind, count] of plan) {
    let made = 0;
    for (let attempt = 0; made < count && attempt < 10_000; attempt++) {
      const d = docs[random.below(docs.length)];
      const long = d.tokens.filter((w) => w.length >= 5);
      if (long.length < 4) continue;
      let q = null;
      if (kind === 'word') {
        const w = long[random.below(long.length)];
        q = { text: w, words: [w] };
      } else if (kind === 'two words') {
        const a = long[random.below(long.length)];
        const b = long[random.below(long.length)];
        if (a !== b) q = { text: `${a} ${b}`, words: [a, b] };
      } else if (kind === 'phrase') {
        if (d.pairs.length) {
          const [a, b] = d.pairs[random.below(d.pairs.length)];
          if (a !== b) q = { text: `"${a} ${b}"`, words: [a, b] };
        }
      } else if (kind === 'prefix') {
        const candidates = long.filter((w) => w.length >= 6);
        if (candidates.length) {
          const p = candidates[random.below(candidates.length)].slice(0, 4);
          q = { text: `${p}*`, words: [p] };
        }
      } else if (kind === 'stemmed') {
        // Three words, each another form of a word of the article and absent from it, the rarest
        // such forms: an engine that relates forms of a root can single the article out; an engine
        // that matches the exact forms finds other articles.
        const picked = [];
        for (const w of rare(d, 5).filter((x) => common.has(x))) {
          const v = stemVariants(w, d.present, common, df).find((x) => !picked.some((p) => p.to === x || p.from === x));
          if (v && !picked.some((p) => p.from === w || roots(p.from).some((r) => roots(w).includes(r)))) picked.push({ from: w, to: v });
          if (picked.length === 3) break;
        }
        if (picked.length === 3) {
          q = { text: picked.map((p) => p.to).join(' '), words: picked.map((p) => p.to), target: d.id, from: picked.map((p) => p.from) };
        }
      } else if (kind === 'typo') {
        const candidates = rare(d, 6);
        if (candidates.length >= 2) {
          const a = candidates[random.below(candidates.length)];
          let b = candidates[random.below(candidates.length)];
          if (a !== b) {
            const ta = typo(a, vocabulary, random, made % 2 === 0);
            const tb = typo(b, vocabulary, random, made % 2 === 1);
            if (ta && tb) q = { text: `${ta} ${tb}`, words: [ta, tb], target: d.id, from: [a, b] };
          }
        }
      }
      if (q && !queries.some((x) => x.text === q.text)) {
        queries.push({ kind, ...q });
        made++;
      }
    }
    if (made < count) throw new Error(`could only make ${made} of ${count} ${kind} queries from the corpus`);
  }
  return queries;
}
