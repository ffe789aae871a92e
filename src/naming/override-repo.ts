import { and, eq } from 'drizzle-orm'
import type { Db } from '../storage/db'
import type { ServiceKey } from './model'
import { instanceOverride } from './naming.sql'
import type { OverrideStore, StoredOverride } from './overrides'

const whereService = (k: ServiceKey) => and(eq(instanceOverride.namespaceId, k.namespace), eq(instanceOverride.groupName, k.group), eq(instanceOverride.serviceName, k.name))

/** Every stored operator edit of an instance, to load at start. */
export function loadOverrides(db: Db): { key: ServiceKey; id: string; override: StoredOverride }[] {
  return db.select().from(instanceOverride).all().map((r) => {
    const override: StoredOverride = { missingSince: r.missingSince ?? undefined }
    if (r.weight !== null) override.weight = r.weight
    if (r.enabled !== null) override.enabled = r.enabled
    if (r.metadata !== null) override.metadata = JSON.parse(r.metadata)
    return { key: { namespace: r.namespaceId, group: r.groupName, name: r.serviceName }, id: r.overrideId, override }
  })
}

/** The instance_overrides table as the OverrideStore InstanceOverrides writes through to. */
export function sqliteOverrideStore(db: Db, now: () => number): OverrideStore {
  return {
    save(key, id, o) {
      const cols = { weight: o.weight ?? null, enabled: o.enabled ?? null, metadata: o.metadata ? JSON.stringify(o.metadata) : null, missingSince: o.missingSince ?? null, gmtModified: now() }
      db.insert(instanceOverride)
        .values({ namespaceId: key.namespace, groupName: key.group, serviceName: key.name, overrideId: id, ...cols })
        .onConflictDoUpdate({ target: [instanceOverride.namespaceId, instanceOverride.groupName, instanceOverride.serviceName, instanceOverride.overrideId], set: cols })
        .run()
    },
    delete(key, id) {
      db.delete(instanceOverride).where(and(whereService(key), eq(instanceOverride.overrideId, id))).run()
    },
    deleteService(key) {
      db.delete(instanceOverride).where(whereService(key)).run()
    },
  }
}
