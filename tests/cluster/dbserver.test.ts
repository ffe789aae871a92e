// The throw-away database servers the cluster tests stand on, and the recommended Drizzle drivers on them
// (docs/cluster.md): PostgreSQL through Bun.SQL + drizzle-orm/bun-sql, MySQL/MariaDB through mysql2 +
// drizzle-orm/mysql2. Each must survive a restart of the database with the same pool.
import { afterAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { bigint, mysqlTable, longtext, uniqueIndex as myUnique, varchar as myVarchar } from 'drizzle-orm/mysql-core'
import { bigint as pgBigint, pgTable, text, uniqueIndex as pgUnique, varchar as pgVarchar } from 'drizzle-orm/pg-core'
import { openMysql } from '../../src/storage/dialects/mysql'
import { openPostgres } from '../../src/storage/dialects/postgres'
import { parseDbUrl } from '../../src/storage/dialects/url'
import { available, startMariaDb, startPostgres } from '../support/dbserver'

const myConfig = mysqlTable('config_info', {
  dataId: myVarchar('data_id', { length: 255 }).notNull(),
  groupId: myVarchar('group_id', { length: 128 }).notNull(),
  content: longtext('content').notNull(),
  gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
}, (t) => [myUnique('uk_config').on(t.dataId, t.groupId)])

const pgConfig = pgTable('config_info', {
  dataId: pgVarchar('data_id', { length: 255 }).notNull(),
  groupId: pgVarchar('group_id', { length: 128 }).notNull(),
  content: text('content').notNull(),
  gmtModified: pgBigint('gmt_modified', { mode: 'number' }).notNull(),
}, (t) => [pgUnique('uk_config').on(t.dataId, t.groupId)])

const content = 'héllo 😀 ' + 'x'.repeat(100_000)
const epochMs = 1_795_328_908_672

/** Retries a query for a few seconds: the first call after a restart may still hit a dead pooled connection. */
async function eventually<T>(fn: () => Promise<T>): Promise<T> {
  let last: unknown
  for (let i = 0; i < 50; i++) {
    try {
      return await fn()
    } catch (e) {
      last = e
      await Bun.sleep(100)
    }
  }
  throw last
}

test('both servers are installed (apt: mariadb-server postgresql)', () => {
  expect(available()).toEqual({ mariadb: true, postgres: true })
})

describe('MariaDB through mysql2 + drizzle-orm/mysql2', async () => {
  const server = await startMariaDb()
  const { db, close } = openMysql(parseDbUrl(server.url.replace('mysql://', 'mariadb://')).url)
  afterAll(async () => {
    await close()
    await server.close()
  })

  test('create, upsert, read back utf8mb4 and epoch-ms bigints, roll back a transaction', async () => {
    await db.execute(sql`CREATE TABLE config_info (data_id varchar(255) NOT NULL, group_id varchar(128) NOT NULL, content longtext NOT NULL, gmt_modified bigint NOT NULL, UNIQUE KEY uk_config (data_id, group_id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)
    await db.insert(myConfig).values({ dataId: 'a', groupId: 'G', content: 'v1', gmtModified: 1 })
    await db.insert(myConfig).values({ dataId: 'a', groupId: 'G', content, gmtModified: epochMs }).onDuplicateKeyUpdate({ set: { content: sql`values(content)`, gmtModified: sql`values(gmt_modified)` } })
    await expect(db.transaction(async (tx) => {
      await tx.insert(myConfig).values({ dataId: 'b', groupId: 'G', content: 'x', gmtModified: 2 })
      throw new Error('abort')
    })).rejects.toThrow('abort')
    expect(await db.select().from(myConfig)).toEqual([{ dataId: 'a', groupId: 'G', content, gmtModified: epochMs }])
    // utf8mb4_bin: keys differing only in case are different keys, as in Nacos's MySQL schema.
    await db.insert(myConfig).values({ dataId: 'A', groupId: 'G', content: 'upper', gmtModified: 3 })
    expect(await db.select().from(myConfig).where(eq(myConfig.dataId, 'A'))).toHaveLength(1)
  })

  test('the same pool works again after the database restarts', async () => {
    await server.stop()
    await expect((async () => db.select().from(myConfig))()).rejects.toThrow()
    await server.start()
    const rows = await eventually(() => db.select().from(myConfig))
    expect(rows).toHaveLength(2)
  }, 60_000)
})

describe('PostgreSQL through Bun.SQL + drizzle-orm/bun-sql', async () => {
  const server = await startPostgres()
  const { db, close } = openPostgres(parseDbUrl(server.url).url)
  afterAll(async () => {
    await close()
    await server.close()
  })

  test('create, upsert, read back UTF-8 and epoch-ms bigints, roll back a transaction', async () => {
    await db.execute(sql`CREATE TABLE config_info (data_id varchar(255) NOT NULL, group_id varchar(128) NOT NULL, content text NOT NULL, gmt_modified bigint NOT NULL)`)
    await db.execute(sql`CREATE UNIQUE INDEX uk_config ON config_info (data_id, group_id)`)
    await db.insert(pgConfig).values({ dataId: 'a', groupId: 'G', content: 'v1', gmtModified: 1 })
    await db.insert(pgConfig).values({ dataId: 'a', groupId: 'G', content, gmtModified: epochMs }).onConflictDoUpdate({ target: [pgConfig.dataId, pgConfig.groupId], set: { content: sql`excluded.content`, gmtModified: sql`excluded.gmt_modified` } })
    await expect(db.transaction(async (tx) => {
      await tx.insert(pgConfig).values({ dataId: 'b', groupId: 'G', content: 'x', gmtModified: 2 })
      throw new Error('abort')
    })).rejects.toThrow('abort')
    expect(await db.select().from(pgConfig)).toEqual([{ dataId: 'a', groupId: 'G', content, gmtModified: epochMs }])
  })

  test('the same pool works again after the database restarts', async () => {
    await server.stop()
    await expect((async () => db.select().from(pgConfig))()).rejects.toThrow()
    await server.start()
    const rows = await eventually(() => db.select().from(pgConfig))
    expect(rows).toHaveLength(1)
  }, 60_000)
})

test('BNACOS_DB_URL: dialect by scheme, clear errors', () => {
  expect(parseDbUrl(undefined)).toEqual({ dialect: 'sqlite', url: '' })
  expect(parseDbUrl('mariadb://u:p@db:3306/nacos')).toEqual({ dialect: 'mysql', url: 'mysql://u:p@db:3306/nacos' })
  expect(parseDbUrl('postgresql://u:p@db/nacos').dialect).toBe('postgres')
  expect(() => parseDbUrl('oracle://db/x', 'BNACOS_DB_URL')).toThrow('BNACOS_DB_URL: unsupported scheme "oracle"')
  expect(() => parseDbUrl('mysql://db')).toThrow('must name a host and a database')
  expect(() => parseDbUrl('not a url')).toThrow('must be a URL')
})
