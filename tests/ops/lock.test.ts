// One process per data dir: a second server (or a restore) is refused with a message naming the dir and the
// holder; the lock dies with its process, so kill -9 leaves nothing stale.
import { expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataDirLockedError, lockDataDir } from '../../src/storage/lock'
import { freePort } from '../support/server'
import { spawnServer } from '../support/process'
import { runCli } from './cli'

const tempDir = (p: string) => mkdtempSync(join(tmpdir(), p))

test('in one process: a second lock is refused until the first is released', () => {
  const dir = tempDir('bnacos-lock-')
  const first = lockDataDir(dir)
  let err: unknown
  try {
    lockDataDir(dir)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(DataDirLockedError)
  expect(String(err)).toContain(dir)
  expect(String(err)).toContain(`pid ${process.pid}`)
  first.release()
  lockDataDir(dir).release()
})

test('a second server on the same data dir is refused (exit 3, dir and pid named); restore too; kill -9 frees it', async () => {
  const dir = tempDir('bnacos-lock-proc-')
  const s = await spawnServer({ BNACOS_DATA_DIR: dir, BNACOS_ACCESS_LOG: 'true' })
  try {
    const port = await freePort(1000)
    const second = await runCli([], { BNACOS_DATA_DIR: dir, BNACOS_HOST: '127.0.0.1', BNACOS_HTTP_PORT: String(port) })
    expect(second.code).toBe(3)
    expect(second.stderr).toContain(`data dir ${dir} is in use by another bnacos server process (pid ${s.proc.pid}`)
    // The refused process served nothing.
    expect(await fetch(`http://127.0.0.1:${port}/`).then(() => 'answered', () => 'refused')).toBe('refused')

    const restore = await runCli(['restore', join(dir, 'bnacos.db'), '--data-dir', dir])
    expect(restore.code).toBe(1)
    expect(restore.stderr).toContain('is in use by another bnacos server process')

    // The access log: one JSON line per request with the matched route.
    await fetch(`${s.httpUrl}/nacos/v1/cs/configs?dataId=a&group=G`)
    await Bun.sleep(50)
    const line = s.output().split('\n').find((l) => l.includes('"msg":"access"') && l.includes('/nacos/v1/cs/configs'))
    expect(JSON.parse(line!)).toMatchObject({ level: 'info', method: 'GET', route: '/nacos/v1/cs/configs', status: 404, ip: '127.0.0.1' })
  } finally {
    s.proc.kill(9)
    await s.proc.exited
  }
  // The operating system dropped the lock with the process: no stale pid file to clean up.
  lockDataDir(dir).release()
}, 30_000)
