// A tiny static server for the built page (dist/web by default) on localhost.
// WebGPU needs a secure context, which http://localhost is; file:// is not.
// Text files are gzipped when the browser accepts it (the bundle shrinks about
// 5×). The file names carry no content hash, so every response says no-cache
// with an ETag: the browser always revalidates, and an unchanged file costs a
// 304 with no body instead of a download.
//
//   node scripts/serve-web.mjs [--dir dist/web] [--port 8080] [--host 127.0.0.1]
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.safetensors': 'application/octet-stream',
  '.wav': 'audio/wav',
  '.svg': 'image/svg+xml',
};

/** Worth compressing: text. Weights (float32) and audio barely shrink and would only cost CPU. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg']);

/** Serves `dir`; port 0 picks a free one. Resolves with the server and its URL. */
export function serveStatic(dir, { port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(dir);
  /** Gzipped bodies by path, valid while the file's ETag is unchanged. */
  const gzipped = new Map();
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    const st = statSync(file);
    const etag = `W/"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    const ext = extname(file);
    const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag, 'last-modified': st.mtime.toUTCString() };
    if (COMPRESSIBLE.has(ext)) headers.vary = 'Accept-Encoding';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      let entry = gzipped.get(file);
      if (!entry || entry.etag !== etag) {
        entry = { etag, body: gzipSync(readFileSync(file), { level: 9 }) };
        gzipped.set(file, entry);
      }
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': entry.body.length });
      res.end(req.method === 'HEAD' ? undefined : entry.body);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': st.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      ok({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } });
  const dir = values.dir ?? join(root, 'dist', 'web');
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`serve:web: ${dir}/index.html not found; run npm run build:web first`);
    process.exit(1);
  }
  const { url } = await serveStatic(dir, { port: Number(values.port ?? 8080), host: values.host ?? '127.0.0.1' });
  console.log(`serving ${dir} at ${url}  (Ctrl-C to stop)`);
}
