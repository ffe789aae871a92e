import type { Storage } from '../storage/db'
import type { HistoryEntry } from './history'
import type { Actor, ConfigKey, ConfigRecord, GrayRecord, GrayRule } from './model'
import { remoteConfigStore } from './store-remote'
import { sqliteConfigStore } from './store-sqlite'
import type { SearchFilter } from './store-reads'

/** A formal config as a write gives it; the store assigns id and creation time. */
export type FormalDraft = Omit<ConfigRecord, 'id' | 'createdAt'>

/** One entry of the cluster's change log (remote databases only): which key changed, and to what md5. */
export interface ConfigChange {
  seq: number
  key: ConfigKey
  /** '' for the formal config, else the gray version's name. */
  grayName: string
  op: 'U' | 'D'
  md5: string
  at: number
}

/**
 * Where configs, gray versions and their history are stored: the embedded SQLite, or the database the nodes of a
 * cluster share. Every write commits (row + history row, + a change-log row on a shared database) before it
 * resolves; reads of live configs come from the ConfigCache, not from here.
 */
export interface ConfigStore {
  /** Every formal config and gray version (the cache is filled from this). */
  loadAll(): Promise<{ formal: ConfigRecord[]; grays: GrayRecord[] }>
  /** One formal config and its gray versions straight from the database (a peer's change, a repair). */
  loadKey(k: ConfigKey): Promise<{ formal?: ConfigRecord; grays: GrayRecord[] }>
  findByIds(ids: number[]): Promise<ConfigRecord[]>
  /** Inserts or updates (conditionally on `expectMd5`: CAS); undefined when the condition failed. */
  saveFormal(next: FormalDraft, actor: Actor, expectMd5?: string): Promise<{ record: ConfigRecord; op: 'I' | 'U' } | undefined>
  /** Saves several formal configs all-or-nothing (import, clone). */
  saveFormals(list: FormalDraft[]): Promise<ConfigRecord[]>
  deleteFormal(k: ConfigKey, actor: Actor, now: number): Promise<ConfigRecord | undefined>
  saveGray(k: ConfigKey, grayName: string, rule: GrayRule, content: string, md5: string, extra: { appName: string; encryptedDataKey: string }, actor: Actor, now: number): Promise<GrayRecord>
  deleteGray(k: ConfigKey, grayName: string, actor: Actor, now: number): Promise<GrayRecord | undefined>
  historyPage(k: ConfigKey, limit: number, offset: number): Promise<{ total: number; rows: HistoryEntry[] }>
  historyByNid(nid: number): Promise<HistoryEntry | undefined>
  /** The newest history row of a config id. */
  historyLatest(configId: number): Promise<HistoryEntry | undefined>
  /** Deletes history rows modified before `cutoff`; returns how many. */
  purgeHistory(cutoff: number): Promise<number>
  search(f: SearchFilter, limit: number, offset: number): Promise<{ total: number; rows: ConfigRecord[] }>
  ofNamespace(namespace: string): Promise<ConfigRecord[]>
  /** Change-log entries after `seq` (oldest first, at most `limit`); empty on the embedded database. */
  changesSince(seq: number, limit: number): Promise<ConfigChange[]>
  /** The newest change-log seq (0 when none or embedded). */
  lastChange(): Promise<number>
  /** Deletes change-log entries older than `cutoff`. */
  pruneChanges(cutoff: number): Promise<number>
}

/** The config store of the storage in use. */
export function configStore(storage: Storage, onWrite?: (changes: ConfigKey[]) => void): ConfigStore {
  return storage.kind === 'sqlite' ? sqliteConfigStore(storage.db) : remoteConfigStore(storage.remote, onWrite)
}
