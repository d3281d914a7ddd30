// A small static server for the built site, with no dependencies.
//   node test/browser/serve.mjs [dir] [--port 3000] [--base /course/]
// Framework writes links without ".html"; like most static hosts, this serves
// "x.html" for "/x" and "index.html" for a directory.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Starts the server; resolves to {url, close}. Port 0 picks a free port. */
export function serve(dir, { port = 0, base = "/" } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404).end("Not under " + base);
      return;
    }
    path = normalize("/" + path.slice(base.length));
    let file = join(root, path);
    if (path.endsWith("/")) file = join(file, "index.html");
    else if (!(await isFile(file)) && (await isFile(file + ".html"))) file += ".html";
    if (!file.startsWith(root) || !(await isFile(file))) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(await readFile(file));
  });
  return new Promise((ok) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      ok({ url: `http://127.0.0.1:${address.port}${base}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const dir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "dist";
  const { url } = await serve(dir, { port: Number(option("--port", 3000)), base: option("--base", "/") });
  console.log(`Serving ${dir} at ${url} (Ctrl-C to stop)`);
}
