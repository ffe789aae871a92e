import type { Db } from '../storage/db'
import type { RemoteTx } from '../storage/remote'
import * as tables from './config.sql'
import { deleteFormal, deleteGray, saveFormal, saveGray } from './repo'
import type { ConfigStore } from './store'
import { configReads, type ConfigTables } from './store-reads'

/**
 * The config store on the embedded SQLite. Writes stay synchronous transactions with prepared statements (the
 * benchmarked publish path, see repo.ts) and resolve once committed; there is no change log (no peers to tell).
 */
export function sqliteConfigStore(db: Db): ConfigStore {
  // The shared reads are written against the PostgreSQL-typed tables; SQLite's have the same property names.
  const reads = configReads(db as unknown as RemoteTx, tables as unknown as ConfigTables, 'sqlite')
  return {
    ...reads,
    async saveFormal(next, actor, expectMd5) {
      return saveFormal(db, next, actor, expectMd5)
    },
    async saveFormals(list) {
      return db.transaction(() => list.map((d) => saveFormal(db, d, { srcUser: d.srcUser, srcIp: d.srcIp })!.record))
    },
    async deleteFormal(k, actor, now) {
      return deleteFormal(db, k, actor, now)
    },
    async saveGray(k, grayName, rule, content, md5, extra, actor, now) {
      return saveGray(db, k, grayName, rule, content, md5, extra, actor, now)
    },
    async deleteGray(k, grayName, actor, now) {
      return deleteGray(db, k, grayName, actor, now)
    },
    changesSince: async () => [],
    lastChange: async () => 0,
    pruneChanges: async () => 0,
  }
}
