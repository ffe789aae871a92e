import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { bundleConsole, consoleSourceStamp, type ConsoleFile } from './bundle'
import { embeddedConsole, embeddedIndexHtml } from './embedded'

/** A console file ready to serve: bytes, content type, and a gzip copy made on first need. */
interface Served {
  bytes: Uint8Array<ArrayBuffer>
  type: string
  gzip?: Uint8Array<ArrayBuffer>
}

const types: Record<string, string> = {
  js: 'text/javascript;charset=utf-8', css: 'text/css;charset=utf-8', html: 'text/html;charset=utf-8', json: 'application/json',
  svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', txt: 'text/plain;charset=utf-8',
}

function typeOf(path: string): string {
  return types[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream'
}

/** The files the binary carries, read back through Bun.file (they live in the executable's embedded fs). */
async function embeddedFiles(): Promise<ConsoleFile[]> {
  const files = (embeddedConsole ?? []).map((f) => ({ path: f.path, body: Bun.file(f.file) as Blob }))
  files.push({ path: 'index.html', body: new Blob([embeddedIndexHtml ?? '']) })
  return files
}

let loading: Promise<Map<string, Served>> | undefined
let builtFrom = 0

/**
 * Loads the console once per process: embedded files in the binary, else an in-memory Bun.build of public/ —
 * rebuilt when a source file changed since (checked on each page load, so `bun run dev` picks up console edits).
 */
function consoleFiles(checkSource = false): Promise<Map<string, Served>> {
  let previous: Promise<Map<string, Served>> | undefined
  if (checkSource && !embeddedConsole && loading && consoleSourceStamp() > builtFrom) {
    previous = loading
    loading = undefined
  }
  loading ??= (async () => {
    builtFrom = embeddedConsole ? 0 : consoleSourceStamp()
    const started = Date.now()
    const files = embeddedConsole ? await embeddedFiles() : await bundleConsole()
    const map = new Map<string, Served>()
    for (const f of files) map.set(f.path, { bytes: new Uint8Array(await f.body.arrayBuffer()), type: typeOf(f.path) })
    // A page loaded before the rebuild may still ask for its (differently hashed) chunks: keep serving them.
    for (const [path, file] of (await previous?.catch(() => undefined)) ?? []) if (!map.has(path)) map.set(path, file)
    log.info('console ready', { files: map.size, embedded: !!embeddedConsole, ms: Date.now() - started })
    return map
  })()
  // A failed build is retried on the next request (e.g. after fixing a syntax error while developing).
  loading.catch(() => (loading = undefined))
  return loading
}

/** Answers with a file, gzipped when the browser accepts it and it is worth it. */
function respond(request: Request, file: Served, cache: string): Response {
  const headers: Record<string, string> = { 'Content-Type': file.type, 'Cache-Control': cache, Vary: 'Accept-Encoding' }
  if (file.bytes.length > 1024 && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
    file.gzip ??= Bun.gzipSync(file.bytes)
    headers['Content-Encoding'] = 'gzip'
    return new Response(file.gzip, { headers })
  }
  return new Response(file.bytes, { headers })
}

async function index(request: Request): Promise<Response> {
  const file = (await consoleFiles(true)).get('index.html')
  if (!file) throw fail.notFound('console index missing')
  // The index names the current hashed assets: never cached, so a new version is picked up at once.
  return respond(request, file, 'no-cache')
}

/**
 * Serves the web console under /nacos/ (index at /nacos, /nacos/ and /nacos/index.html, hashed assets under
 * /nacos/assets/ cached for a year). Only these paths: the APIs under /nacos/v1, v2, v3 are never shadowed.
 */
export function consoleHttp() {
  return new Elysia()
    .get('/nacos', ({ request }) => index(request))
    .get('/nacos/index.html', ({ request }) => index(request))
    .get('/nacos/assets/*', async ({ request }) => {
      const path = decodeURIComponent(new URL(request.url).pathname).replace(/^\/nacos\//, '')
      const file = (await consoleFiles()).get(path)
      if (!file) throw fail.notFound(`no such console file: ${path}`)
      return respond(request, file, 'public, max-age=31536000, immutable')
    })
}
