// A small static file server for the built explorer, bound to loopback only. Used by
// `scripts/serve.sh` and by the end-to-end tests (which import `serve`).
//
//   node scripts/server.mjs <DIR> [--port N]     serve DIR on http://127.0.0.1:N
//   node scripts/server.mjs --check-port N       exit 1 with a message if N is taken

import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

export const HOST = '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.pack': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The types a static host compresses on the fly (as GitHub Pages, Netlify or a CDN do): text and
 * wasm. Not packs and split-pack pieces (`application/octet-stream`), which go as they are.
 */
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.svg', '.json', '.webmanifest', '.txt']);
/** Brotli bodies by file and modification time. */
const brotliCache = new Map();

/** Resolves a URL path to a file inside `root`, or null if it would leave it. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, '.' + normalize('/' + path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Serves `dir` on loopback. Resolves to `{ server, url }` once listening; rejects with a readable
 * error when the port is taken. `headers` are added to every response. With `compress`, text and
 * wasm go brotli-compressed to a browser that accepts it (the benchmark's cold start measures what a
 * real static host would send). With `tls` (`{ key, cert }`, PEM), it speaks HTTP/2 over TLS, as
 * static hosts and CDNs do (the benchmark's cold start compares it with HTTP/1.1).
 */
export function serve(dir, { port = 8080, headers = {}, compress = false, tls = null } = {}) {
  const root = resolve(dir);
  const handle = async (req, res) => {
    const file = fileFor(root, req.url ?? '/');
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(file ? 405 : 400).end();
      return;
    }
    try {
      const info = await stat(file);
      let body = await readFile(info.isDirectory() ? join(file, 'index.html') : file);
      const ext = extname(info.isDirectory() ? 'index.html' : file);
      const type = TYPES[ext] ?? 'application/octet-stream';
      const encoding = {};
      if (compress && COMPRESSED.has(ext) && /\bbr\b/.test(req.headers['accept-encoding'] ?? '')) {
        const key = `${file}\n${info.mtimeMs}`;
        if (!brotliCache.has(key)) {
          brotliCache.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        }
        body = brotliCache.get(key);
        Object.assign(encoding, { 'content-encoding': 'br', vary: 'accept-encoding' });
      }
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        ...encoding,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  };
  const server = tls ? createSecureServer({ key: tls.key, cert: tls.cert }, handle) : createServer(handle);
  return new Promise((ok, fail) => {
    server.once('error', (e) => {
      fail(e.code === 'EADDRINUSE'
        ? new Error(`port ${port} on ${HOST} is already in use — is the explorer already being served? Stop it, or choose another port with PORT=…`)
        : e);
    });
    server.listen(port, HOST, () => ok({ server, url: `${tls ? 'https' : 'http'}://${HOST}:${server.address().port}/` }));
  });
}

async function main(args) {
  if (args[0] === '--check-port') {
    const { server } = await serve('.', { port: Number(args[1]) });
    await new Promise((done) => server.close(done));
    return;
  }
  const dir = args[0];
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 8080;
  if (!dir) throw new Error('usage: node scripts/server.mjs <DIR> [--port N]');
  await stat(join(dir, 'index.html')).catch(() => {
    throw new Error(`${dir}/index.html does not exist — build the bundle first`);
  });
  const { url } = await serve(dir, { port });
  console.log(`Sorot is being served at ${url} (Ctrl-C to stop)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`[sorot] error: ${e.message}`);
    process.exit(1);
  });
}
