#!/usr/bin/env node
// A small static file server for the generated documentation sites (`npm run docs:serve`), also used by the
// browser tests. Serves generated/<name>/docs for every package in uapi-ts.config.json under /<name>/ (and a list
// of them at /). Usage: node test/docs/serve.js [--port N] [--host H]; port 0 picks a free one.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

/** roots: { mount: folder }. Resolves to { server, url }. */
export function serveDocs(roots, { port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(`<!doctype html><meta charset="utf-8"><title>uapi-ts docs</title><ul>${Object.keys(roots).sort().map((m) => `<li><a href="/${m}/index.html">${m}</a></li>`).join('')}</ul>`);
      return;
    }
    const [, mount, ...rest] = path.split('/');
    const root = roots[mount];
    if (!root) return notFound(res);
    const base = resolve(root);
    let file = normalize(join(base, ...rest));
    if (file !== base && !file.startsWith(base + sep)) return notFound(res);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return notFound(res);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}` })));
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

/** Every configured package's docs folder, mounted under its folder name (iommufd-v7.3). */
export function configuredSites(configPath = 'uapi-ts.config.json') {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  return Object.fromEntries(config.packages.map((p) => [basename(p.out), join(p.out, 'docs')]).filter(([, d]) => existsSync(d)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : dflt;
  };
  const { url } = await serveDocs(configuredSites(), { port: Number(arg('--port', '8080')), host: arg('--host', '127.0.0.1') });
  process.stdout.write(`serving the documentation sites at ${url}/ (Ctrl-C stops)\n`);
}
