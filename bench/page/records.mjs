// The articles of a JSON Lines corpus as `sorot pack` takes them: a record without an id or a body,
// or with an id seen before, is left out. Shared by the benchmark page (the libraries build from
// these) and by Node (Pagefind's bundle is built from them), so every library indexes the same set.

/** `{ articles: [{ id, title, body }], skipped }` from the text of a JSON Lines file. */
export function readRecords(text) {
  const articles = [];
  const seen = new Set();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let a;
    try {
      a = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (typeof a.id !== 'string' || typeof a.body !== 'string' || seen.has(a.id)) {
      skipped++;
      continue;
    }
    seen.add(a.id);
    articles.push({ id: a.id, title: typeof a.title === 'string' ? a.title : '', body: a.body });
  }
  return { articles, skipped };
}
