// The MySQL/MariaDB and PostgreSQL schemas and their migrator (docs/cluster.md §7) on throw-away servers: a fresh
// database migrates, nodes starting together migrate once, keys are case-sensitive, utf8mb4 and large contents
// survive, and a MySQL database with a case-insensitive default collation is refused with the fix to run.
import { afterAll, describe, expect, test } from 'bun:test'
import { and, eq, sql } from 'drizzle-orm'
import * as myConfig from '../../src/config/config.mysql'
import * as pgConfig from '../../src/config/config.pg'
import { migrateRemote } from '../../src/storage/dialects/migrate-remote'
import { openMysql } from '../../src/storage/dialects/mysql'
import { openPostgres } from '../../src/storage/dialects/postgres'
import { parseDbUrl } from '../../src/storage/dialects/url'
import { migrations as mysqlMigrations } from '../../drizzle/mysql/migrations'
import { migrations as pgMigrations } from '../../drizzle/pg/migrations'
import { available, startMariaDb, startPostgres } from '../support/dbserver'

const big = 'emoji 😀 ' + 'x'.repeat(1024 * 1024)
const row = (dataId: string, content = 'v') => ({ dataId, groupId: 'G', tenantId: '', content, md5: 'm', gmtCreate: 1_795_328_908_672, gmtModified: 1_795_328_908_672 })
const have = available()

describe.skipIf(!have.mariadb)('MariaDB schema and migrator', async () => {
  const server = await startMariaDb()
  const url = parseDbUrl(server.url).url
  const nodes = [openMysql(url, 2), openMysql(url, 2), openMysql(url, 2)]
  const { db, pool } = nodes[0]
  afterAll(async () => {
    for (const n of nodes) await n.close()
    await server.close()
  })

  test('a database whose default collation is not utf8mb4_bin is refused, naming the ALTER to run', async () => {
    await pool.query('ALTER DATABASE bnacos CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci')
    await expect(migrateRemote(nodes[0])).rejects.toThrow('ALTER DATABASE `bnacos` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')
    const [tables] = await pool.query('SHOW TABLES')
    expect(tables).toEqual([])
    await pool.query('ALTER DATABASE bnacos CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')
  })

  test('three nodes migrating together migrate once; a re-run applies nothing', async () => {
    const counts = await Promise.all(nodes.map((n) => migrateRemote(n)))
    expect(counts.sort()).toEqual([0, 0, mysqlMigrations.length])
    const [rows] = await pool.query('SELECT hash, created_at FROM __drizzle_migrations')
    expect(rows).toHaveLength(mysqlMigrations.length)
    expect(await migrateRemote(nodes[1])).toBe(0)
  }, 60_000)

  test('keys are case-sensitive; a true duplicate is refused', async () => {
    await db.insert(myConfig.configInfo).values(row('A'))
    await db.insert(myConfig.configInfo).values(row('a'))
    await expect((async () => db.insert(myConfig.configInfo).values(row('a')))()).rejects.toThrow()
    expect(await db.select({ id: myConfig.configInfo.id }).from(myConfig.configInfo)).toHaveLength(2)
  })

  test('utf8mb4 emoji and 1 MiB content round trip; the change log takes rows', async () => {
    await db.insert(myConfig.configInfo).values(row('big', big))
    const [got] = await db.select().from(myConfig.configInfo).where(and(eq(myConfig.configInfo.dataId, 'big'), eq(myConfig.configInfo.groupId, 'G')))
    expect(got.content).toBe(big)
    expect(got.gmtModified).toBe(1_795_328_908_672)
    expect(got.schema).toBe('')
    await db.insert(myConfig.configChange).values({ dataId: 'big', groupId: 'G', tenantId: '', op: 'U', md5: 'm', at: 1 })
    expect(await db.select().from(myConfig.configChange)).toEqual([{ seq: 1, dataId: 'big', groupId: 'G', tenantId: '', grayName: '', op: 'U', md5: 'm', at: 1 }])
  })
})

describe.skipIf(!have.postgres)('PostgreSQL schema and migrator', async () => {
  const server = await startPostgres()
  const url = parseDbUrl(server.url).url
  const nodes = [openPostgres(url, 2), openPostgres(url, 2), openPostgres(url, 2)]
  const { db, client } = nodes[0]
  afterAll(async () => {
    for (const n of nodes) await n.close()
    await server.close()
  })

  test('three nodes migrating together migrate once; a re-run applies nothing', async () => {
    const counts = await Promise.all(nodes.map((n) => migrateRemote(n)))
    expect(counts.sort()).toEqual([0, 0, pgMigrations.length])
    expect(await client`SELECT hash, created_at FROM __drizzle_migrations`).toHaveLength(pgMigrations.length)
    expect(await migrateRemote(nodes[2])).toBe(0)
  }, 60_000)

  test('keys are case-sensitive; a true duplicate is refused', async () => {
    await db.insert(pgConfig.configInfo).values(row('A'))
    await db.insert(pgConfig.configInfo).values(row('a'))
    await expect((async () => db.insert(pgConfig.configInfo).values(row('a')))()).rejects.toThrow()
    expect(await db.select({ id: pgConfig.configInfo.id }).from(pgConfig.configInfo)).toHaveLength(2)
  })

  test('emoji and 1 MiB content round trip; the change log takes rows', async () => {
    await db.insert(pgConfig.configInfo).values(row('big', big))
    const [got] = await db.select().from(pgConfig.configInfo).where(eq(pgConfig.configInfo.dataId, 'big'))
    expect(got.content).toBe(big)
    expect(got.gmtModified).toBe(1_795_328_908_672)
    await db.insert(pgConfig.configChange).values({ dataId: 'big', groupId: 'G', tenantId: '', op: 'D', at: 1 })
    expect(await db.select().from(pgConfig.configChange)).toEqual([{ seq: 1, dataId: 'big', groupId: 'G', tenantId: '', grayName: '', op: 'D', md5: '', at: 1 }])
    expect(await db.execute(sql`SELECT count(*)::int AS n FROM persistent_instance`)).toEqual([{ n: 0 }] as never)
  })
})

test('both database servers are installed here (otherwise the suites above are skipped: apt-get install mariadb-server postgresql)', () => {
  if (!have.mariadb || !have.postgres) console.warn('remote-schema: skipped —', JSON.stringify(have))
  expect(true).toBe(true)
})

describe.skipIf(!have.mariadb)('a database holding another schema', async () => {
  const server = await startMariaDb()
  const node = openMysql(parseDbUrl(server.url).url, 2)
  afterAll(async () => {
    await node.close()
    await server.close()
  })

  test('a Java Nacos config_info without our bookkeeping is refused, and nothing is created beside it', async () => {
    await node.pool.query('CREATE TABLE config_info (id bigint PRIMARY KEY, data_id varchar(255), gmt_create datetime)')
    await expect(migrateRemote(node)).rejects.toThrow('already holds a config_info table that bnacos did not create')
    const [tables] = await node.pool.query('SHOW TABLES')
    expect((tables as Record<string, string>[]).map((r) => Object.values(r)[0])).toEqual(['config_info'])
  })
})
