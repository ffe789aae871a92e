import type { Db } from '../storage/db'
import { loadOverrides, sqliteOverrideStore } from './override-repo'
import { deleteService, loadPersistent, loadServices, savePersistent, saveService } from './repo'
import type { NamingStore } from './store'

/** The naming store on the embedded SQLite: the synchronous statements of repo.ts, resolved once committed. */
export function sqliteNamingStore(db: Db): NamingStore {
  return {
    loadServices: async () => loadServices(db),
    saveService: async (key, meta, clusters, now) => saveService(db, key, meta, clusters, now),
    deleteService: async (key) => deleteService(db, key),
    loadPersistent: async () => loadPersistent(db),
    savePersistent: async (key, ip, port, list, now) => savePersistent(db, key, ip, port, list, now),
    loadOverrides: async () => loadOverrides(db),
    overrides: (now) => sqliteOverrideStore(db, now),
  }
}
