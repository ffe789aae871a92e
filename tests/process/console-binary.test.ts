// The compiled executable carries the web console: copied alone into an empty directory, it serves index.html
// and every hashed asset under /nacos/ from its embedded files.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer, type ServerProcess } from '../support/process'

const root = join(import.meta.dir, '..', '..')
let s: ServerProcess

beforeAll(async () => {
  const build = Bun.spawnSync([process.execPath, 'scripts/build.ts'], { cwd: root, env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` } })
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`)
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-console-bin-'))
  const bin = join(dir, 'bnacos')
  copyFileSync(join(root, 'dist/bnacos'), bin)
  Bun.spawnSync(['chmod', '+x', bin])
  s = await spawnServer({ BNACOS_DATA_DIR: join(dir, 'data'), BNACOS_LOG_LEVEL: 'info' }, [bin])
}, 60_000)

afterAll(async () => {
  s?.proc.kill('SIGTERM')
  await s?.proc.exited
})

test('the binary alone serves the embedded console and its assets', async () => {
  const index = await fetch(`${s.httpUrl}/nacos/`)
  expect(index.status).toBe(200)
  expect(index.headers.get('cache-control')).toBe('no-cache')
  const html = await index.text()
  const entry = html.match(/<script type="module" src="\.\/(assets\/[^"]+\.js)">/)?.[1]
  expect(entry).toBeDefined()
  const js = await fetch(`${s.httpUrl}/nacos/${entry}`)
  expect(js.status).toBe(200)
  expect(js.headers.get('content-type')).toContain('text/javascript')
  expect(js.headers.get('cache-control')).toContain('immutable')
  const code = await js.text()
  // Every chunk the entry imports is embedded too.
  const chunks = [...code.matchAll(/"\.\/([\w-]+\.js)"/g)].map((m) => m[1])
  expect(chunks.length).toBeGreaterThan(0)
  for (const c of new Set(chunks)) expect((await fetch(`${s.httpUrl}/nacos/assets/${c}`)).status).toBe(200)
  expect(s.output()).toContain('"embedded":true')
  // The console never shadows the API.
  expect((await fetch(`${s.httpUrl}/nacos/v1/console/health/readiness`)).status).toBe(200)
  const root = await fetch(`${s.httpUrl}/`, { redirect: 'manual' })
  expect(root.status).toBe(302)
  expect(root.headers.get('location')).toBe('/nacos/')
})
