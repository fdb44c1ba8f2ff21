// Trunk's post-build hook (Trunk.toml): finishes the files that need the build's hashed names.
//
// - sorot-embed.js: the <sorot-explorer> loader, told the names of the wasm, its JS and its stylesheet;
// - sorot.js: the JavaScript API's entry point, told the names of the wasm and its JS;
// - sorot-embed-<hash>.css: www/embed.css + www/style.css rewritten for a shadow root (`:root` → `:host`,
//   `body` → the widget's root, rem and viewport units relative to the widget, width media queries as
//   container queries), so the widget looks the same whatever the host page's CSS is;
// - sw.js: the service worker, told this build's version (a hash of every file) and the files to cache;
// - (a build of teach.html, teaching mode, has only its page, script, wasm and stylesheet: those are
//   minified, the rest is left to the main build beside it;)
// - the first page load's own files minified (wasm-bindgen's JS, register-sw.js and index.html's inline
//   script by terser, the stylesheets by csso), and index.html's integrity attributes recomputed for them.
//
//   node scripts/postbuild.mjs [DIR]     (default: $TRUNK_STAGING_DIR)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify as minifyCss } from 'csso';
import { minify as minifyJs } from 'terser';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('postbuild: give the build folder, or run from trunk (TRUNK_STAGING_DIR)');
  process.exit(1);
}
const files = readdirSync(dir);
const one = (pattern, what) => {
  const found = files.filter((f) => pattern.test(f));
  if (found.length !== 1) {
    console.error(`postbuild: expected one ${what} in ${dir}, found ${found.length}: ${found.join(', ')}`);
    process.exit(1);
  }
  return found[0];
};
const js = one(/^sorot-app-[0-9a-f]+\.js$/, 'app script');
const wasm = one(/^sorot-app-[0-9a-f]+_bg\.wasm$/, 'app wasm');
const style = one(/^style-[0-9a-f]+\.css$/, 'stylesheet');

// Minified in place: terser for the scripts (`module` for wasm-bindgen's ES module), csso without
// restructuring (rules keep their order and grouping) for the stylesheet.
const minifyFile = async (name, how) => {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, await how(text));
};
await minifyFile(js, async (text) => (await minifyJs(text, { module: true, compress: true, mangle: true })).code);
// A build of teach.html (teaching mode) has the page, its script, wasm and stylesheet only: the rest
// is the main build's, beside it.
const teach = !files.includes('sorot-embed.js');
if (!teach) {
  await minifyFile('register-sw.js', async (text) => (await minifyJs(text, { compress: true, mangle: true })).code);
}
await minifyFile(style, (text) => minifyCss(text, { restructure: false }).css);
// index.html's integrity="sha384-…" attributes of the files just changed.
const indexPath = join(dir, 'index.html');
let index = readFileSync(indexPath, 'utf8');
for (const name of [js, style]) {
  const digest = createHash('sha384').update(readFileSync(join(dir, name))).digest('base64');
  const tag = new RegExp(`(<link[^>]*href="\\./${name.replace(/[.]/g, '\\.')}"[^>]*integrity=")sha384-[^"]*"`);
  if (!tag.test(index)) {
    console.error(`postbuild: index.html has no <link href="./${name}" integrity=…> to update`);
    process.exit(1);
  }
  index = index.replace(tag, `$1sha384-${digest}"`);
}
// index.html's own inline script (the early fetches of `?pack=`), minified too: the first `<script>`
// without attributes.
const inline = /(<script>)([\s\S]*?)(<\/script>)/;
const found = index.match(inline);
if (found) {
  const code = (await minifyJs(found[2], { compress: true, mangle: true })).code;
  index = index.replace(inline, (_, open, _code, close) => `${open}${code}${close}`);
}
writeFileSync(indexPath, index);
if (teach) {
  console.error(`postbuild: the teaching page's ${js}, ${wasm} and ${style}`);
  process.exit(0);
}

/** style.css for a shadow root; exported for the tests of this script's rules. */
export function shadowCss(css) {
  const rem = (n) => `calc(${n} * var(--sorot-rem))`;
  return css
    .split('\n')
    .map((line) => {
      if (/^\s*@media\b.*\b(min|max)-width/.test(line)) {
        // Media queries on the page's width become container queries on the widget's width.
        return line
          .replace('@media', '@container sorot')
          .replace(/(\d*\.?\d+)rem/g, (_, n) => `${Math.round(parseFloat(n) * 16 * 100) / 100}px`);
      }
      return line
        .replace(/:root\b/g, ':host')
        .replace(/(^|[\s,>+~(])(html|body)(?=[\s,{:.[>+~)]|$)/g, '$1.sorot-embed')
        .replace(/(\d*\.?\d+)rem\b/g, (_, n) => rem(n))
        .replace(/100vh\b/g, 'var(--sorot-height, 100vh)')
        .replace(/(\d*\.?\d+)vw\b/g, '$1cqi');
    })
    .join('\n');
}

const root = new URL('..', import.meta.url).pathname;
const css =
  readFileSync(join(root, 'www/embed.css'), 'utf8') +
  '\n:host {\n  --sorot-rem: 16px;\n}\n\n' +
  shadowCss(readFileSync(join(root, 'www/style.css'), 'utf8'));
const cssName = `sorot-embed-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
writeFileSync(join(dir, cssName), minifyCss(css, { restructure: false }).css);

const embed = readFileSync(join(dir, 'sorot-embed.js'), 'utf8')
  .replace('__SOROT_JS__', js)
  .replace('__SOROT_WASM__', wasm)
  .replace('__SOROT_CSS__', cssName);
writeFileSync(join(dir, 'sorot-embed.js'), embed);

// sorot.js: the JS API under a stable name, told which glue and wasm this build has.
const api = readFileSync(join(dir, 'sorot.js'), 'utf8').replace('__SOROT_JS__', js).replace('__SOROT_WASM__', wasm);
writeFileSync(join(dir, 'sorot.js'), api);

// The service worker caches the app; the version changes whenever any file does. Not cached ahead:
// the worker that adds articles and the recogniser's model (1.9 MB together), which it keeps when
// they are first fetched.
const later = (f) => f.startsWith('sorot-worker') || f === 'ner-model.bin';
const shell = readdirSync(dir)
  .filter((f) => f !== 'sw.js' && !f.endsWith('.pack') && f !== 'sorot.html' && !later(f))
  .sort();
const version = createHash('sha256');
for (const f of shell) version.update(f).update(readFileSync(join(dir, f)));
const sw = readFileSync(join(dir, 'sw.js'), 'utf8')
  .replace('__SOROT_VERSION__', version.digest('hex').slice(0, 16))
  .replace('__SOROT_SHELL__', JSON.stringify(['./', ...shell]));
writeFileSync(join(dir, 'sw.js'), sw);
console.error(`postbuild: sorot-embed.js → ${js}, ${wasm}, ${cssName}; sorot.js → ${js}, ${wasm}; sw.js caches ${shell.length + 1} entries`);
