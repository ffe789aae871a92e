// Repairing a node's config cache from the database (what cluster peers do after another node's write): two
// config centers on ONE real in-memory SQLite stand for two nodes on one shared database.
import { describe, expect, test } from 'bun:test'
import { createConfigCenter, type ConfigCenter } from '../../src/config/center'
import type { ConfigKey } from '../../src/config/model'
import { publishConfig } from '../../src/config/publish'
import { getConfig } from '../../src/config/query'
import { reconcileAll, refreshKey } from '../../src/config/refresh'
import { removeConfig } from '../../src/config/remove'
import { sqliteConfigStore } from '../../src/config/store-sqlite'
import { memoryCenter } from '../support/memory'

const actor = { srcUser: 't', srcIp: '10.0.0.1' }
const key = (dataId: string): ConfigKey => ({ dataId, group: 'G', namespace: 'public' })

/** Node A and node B over the same database, and the keys B's listeners were told about. */
async function twoNodes(): Promise<{ a: ConfigCenter; b: ConfigCenter; told: string[] }> {
  const { cc: a, storage, clock } = await memoryCenter()
  const b = await createConfigCenter(sqliteConfigStore(storage.db), a.limits, clock.now)
  const told: string[] = []
  for (const id of ['x', 'y', 'z']) b.watches.add(key(id), { clientIp: '10.0.0.9', onChange: (k) => told.push(k.dataId), md5Of: () => undefined })
  return { a, b, told }
}

describe('refreshKey', () => {
  test('brings a key written on another node into the cache and tells its listeners once', async () => {
    const { a, b, told } = await twoNodes()
    await publishConfig(a, { dataId: 'x', group: 'G', content: 'one', ...actor })
    expect(b.cache.formal(key('x'))).toBeUndefined()
    expect(await refreshKey(b, key('x'))).toBe(true)
    expect(getConfig(b, { dataId: 'x', group: 'G' }, {}).content).toBe('one')
    expect(await refreshKey(b, key('x'))).toBe(false) // idempotent: nothing new, nobody told again
    expect(told).toEqual(['x'])
  })

  test('a delete on another node removes the key; gray versions follow the database too', async () => {
    const { a, b, told } = await twoNodes()
    await publishConfig(a, { dataId: 'y', group: 'G', content: 'formal', ...actor })
    await publishConfig(a, { dataId: 'y', group: 'G', content: 'beta', betaIps: '10.0.0.7', ...actor })
    await refreshKey(b, key('y'))
    expect(getConfig(b, { dataId: 'y', group: 'G' }, { clientIp: '10.0.0.7' }).content).toBe('beta')
    await removeConfig(a, { dataId: 'y', group: 'G' }, actor)
    await refreshKey(b, key('y'))
    expect(b.cache.formal(key('y'))).toBeUndefined()
    expect(b.cache.grays(key('y')).map((g) => g.grayName)).toEqual(['beta'])
    expect(told).toEqual(['y', 'y'])
  })
})

describe('reconcileAll', () => {
  test('repairs every difference between the cache and the database, and only those', async () => {
    const { a, b, told } = await twoNodes()
    await publishConfig(a, { dataId: 'z', group: 'G', content: 'kept', ...actor })
    await reconcileAll(b)
    told.length = 0
    await publishConfig(a, { dataId: 'x', group: 'G', content: 'new on A', ...actor })
    await publishConfig(a, { dataId: 'z', group: 'G', content: 'changed on A', ...actor })
    // B believes in a key the database no longer has (its delete notification was lost).
    b.cache.setFormal({ ...a.cache.formal(key('z'))!, id: 999_999, dataId: 'ghost', md5: 'm' })
    const repaired = (await reconcileAll(b)).map((k) => k.dataId).sort()
    expect(repaired).toEqual(['ghost', 'x', 'z'])
    expect(b.cache.formal(key('ghost'))).toBeUndefined()
    expect(getConfig(b, { dataId: 'z', group: 'G' }, {}).content).toBe('changed on A')
    expect(told.sort()).toEqual(['x', 'z'])
    expect(await reconcileAll(b)).toEqual([])
  })
})
