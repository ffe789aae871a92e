import { expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer } from '../support/process'

const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() })

test('every acknowledged publish survives kill -9 of the server', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bnacos-kill-'))
  const first = await spawnServer({ BNACOS_DATA_DIR: dataDir })
  const acked: string[] = []
  // Keep writing until the kill lands: the writes in flight at that moment may be lost, acknowledged ones not.
  let killed = false
  const writer = (async () => {
    for (let i = 0; !killed && i < 5000; i++) {
      try {
        const r = await fetch(`${first.httpUrl}/nacos/v1/cs/configs`, form({ dataId: `k${i}`, group: 'DURABLE', content: `value-${i}` }))
        if (r.status === 200 && (await r.text()) === 'true') acked.push(`k${i}`)
      } catch {
        break
      }
    }
  })()
  await Bun.sleep(700)
  first.proc.kill(9)
  killed = true
  await writer
  await first.proc.exited
  expect(acked.length).toBeGreaterThan(20)

  const second = await spawnServer({ BNACOS_DATA_DIR: dataDir, BNACOS_HTTP_PORT: String(first.httpPort) })
  try {
    const missing: string[] = []
    for (const id of acked) {
      const r = await fetch(`${second.httpUrl}/nacos/v1/cs/configs?dataId=${id}&group=DURABLE`)
      if (r.status !== 200 || (await r.text()) !== `value-${id.slice(1)}`) missing.push(id)
    }
    expect(missing).toEqual([])
  } finally {
    second.proc.kill('SIGTERM')
    await second.proc.exited
  }
}, 40_000)

test('SIGTERM stops the server gracefully with exit code 0', async () => {
  const s = await spawnServer({ BNACOS_DATA_DIR: mkdtempSync(join(tmpdir(), 'bnacos-term-')) })
  s.proc.kill('SIGTERM')
  expect(await s.proc.exited).toBe(0)
})

test('a non-numeric port is refused at start with a message naming the setting', async () => {
  const proc = Bun.spawn([process.execPath, 'src/main.ts'], { cwd: join(import.meta.dir, '..', '..'), env: { ...process.env, BNACOS_HTTP_PORT: 'eighty' }, stderr: 'pipe', stdout: 'pipe' })
  expect(await proc.exited).toBe(2)
  const err = await new Response(proc.stderr as ReadableStream).text()
  expect(err).toContain('BNACOS_HTTP_PORT')
  expect(err).toContain('must be a whole number')
})
