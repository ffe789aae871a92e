// Backup and restore: an online backup taken while a writer publishes holds every config acknowledged before it
// started, and restores into a fresh dir to exactly the same rows; restore verifies its input and keeps a .bak.
import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer } from '../support/process'
import { runCli } from './cli'

const tempDir = (p: string) => mkdtempSync(join(tmpdir(), p))
const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() })

/** Every config row, in id order, as stored. */
function configRows(dbFile: string): Record<string, unknown>[] {
  const db = new Database(dbFile, { readonly: true })
  try {
    return db.query('SELECT * FROM config_info ORDER BY id').all() as Record<string, unknown>[]
  } finally {
    db.close()
  }
}

test('a backup under write load restores to an identical data set; restore keeps the old db as .bak', async () => {
  const dataDir = tempDir('bnacos-backup-src-')
  const server = await spawnServer({ BNACOS_DATA_DIR: dataDir })
  const acked: string[] = []
  let writing = true
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const r = await fetch(`${server.httpUrl}/nacos/v1/cs/configs`, form({ dataId: `b${i}`, group: 'LOAD', content: `value-${i}-${'x'.repeat(i % 50)}` }))
      if ((await r.text()) === 'true') acked.push(`b${i}`)
    }
  })()
  const backupFile = join(tempDir('bnacos-backup-out-'), 'snapshot.db')
  let before: string[]
  try {
    while (acked.length < 50) await Bun.sleep(20)
    before = [...acked]
    const backup = await runCli(['backup', backupFile, '--data-dir', dataDir])
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    expect(backup.stdout).toContain('backup written')
    // Keep writing after the backup so the live database moves on past it.
    const after = acked.length
    while (acked.length < after + 20) await Bun.sleep(20)
  } finally {
    writing = false
    await writer
    server.proc.kill('SIGTERM')
    await server.proc.exited
  }

  const inBackup = configRows(backupFile)
  const ids = new Set(inBackup.map((r) => r.data_id))
  expect(before.filter((id) => !ids.has(id))).toEqual([])
  expect(inBackup.length).toBeLessThan(acked.length)
  // A second backup to the same name is refused rather than overwriting it.
  expect((await runCli(['backup', backupFile, '--data-dir', dataDir])).stderr).toContain('already exists')

  // Restore into a fresh dir: the same rows, served by a server started on it.
  const fresh = tempDir('bnacos-backup-dst-')
  const restore = await runCli(['restore', backupFile, '--data-dir', fresh])
  expect(restore.stderr).toBe('')
  expect(restore.code).toBe(0)
  expect(configRows(join(fresh, 'bnacos.db'))).toEqual(inBackup)
  const restored = await spawnServer({ BNACOS_DATA_DIR: fresh })
  try {
    for (const row of inBackup) {
      const r = await fetch(`${restored.httpUrl}/nacos/v1/cs/configs?dataId=${row.data_id}&group=LOAD`)
      expect(await r.text()).toBe(row.content as string)
    }
  } finally {
    restored.proc.kill('SIGTERM')
    await restored.proc.exited
  }

  // Restore over the live dir (server stopped): the newer database is kept as a .bak, complete.
  const over = await runCli(['restore', backupFile, '--data-dir', dataDir])
  expect(over.code).toBe(0)
  const bak = readdirSync(dataDir).find((f) => /^bnacos\.db\..*\.bak$/.test(f))
  expect(bak).toBeDefined()
  expect(over.stdout).toContain(bak!)
  expect(configRows(join(dataDir, bak!)).map((r) => r.data_id).sort()).toEqual([...acked].sort())
  expect(configRows(join(dataDir, 'bnacos.db'))).toEqual(inBackup)
}, 60_000)

test('restore refuses a file that is not a sound bnacos backup and leaves the database alone', async () => {
  const dir = tempDir('bnacos-restore-bad-')
  const garbage = join(dir, 'garbage.db')
  writeFileSync(garbage, 'this is not a database at all, just text that is long enough to look like a header')
  const notOurs = join(dir, 'other.db')
  const db = new Database(notOurs, { create: true })
  db.run('CREATE TABLE t (x)')
  db.close()
  const target = tempDir('bnacos-restore-target-')
  for (const [file, message] of [[garbage, 'is not'], [notOurs, 'no __drizzle_migrations table'], [join(dir, 'missing.db'), 'does not exist']]) {
    const r = await runCli(['restore', file, '--data-dir', target])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(message)
  }
  expect(existsSync(join(target, 'bnacos.db'))).toBe(false)
  expect((await runCli(['restore'])).code).toBe(2)
})
