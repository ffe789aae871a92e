// The naming feature's stored data on a shared database (docs/cluster.md §3) against throw-away MariaDB and
// PostgreSQL: service settings, persistent instances per client, operator edits written behind in order, and a
// second node's registry catching up with reloadStored.
import { afterAll, describe, expect, test } from 'bun:test'
import { createNaming } from '../../src/naming/center'
import { registerByAddress } from '../../src/naming/instances'
import type { Instance } from '../../src/naming/model'
import { reloadStored } from '../../src/naming/reload'
import { createService, updateService } from '../../src/naming/services'
import { remoteNamingStore } from '../../src/naming/store-remote'
import { NacosError } from '../../src/shared/errors'
import { openRemote } from '../../src/storage/remote-open'
import type { RemoteDb } from '../../src/storage/remote'
import { available, startMariaDb, startPostgres, type DbServer } from '../support/dbserver'

const key = { namespace: 'public', group: 'G', name: 'orders' }
const inst = (ip: string, extra: Partial<Instance> = {}): Instance => ({
  instanceId: `${ip}#8080#DEFAULT#G@@orders`, ip, port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: false, clusterName: 'DEFAULT', metadata: {}, ...extra,
})

function suite(name: string, start: () => Promise<DbServer>, ok: boolean) {
  describe.skipIf(!ok)(`naming store on ${name}`, async () => {
    const server = await start()
    const remotes: RemoteDb[] = [await openRemote(server.url), await openRemote(server.url)]
    let writes = 0
    const [a, b] = remotes.map((r) => remoteNamingStore(r, () => writes++))
    afterAll(async () => {
      for (const r of remotes) await r.close()
      await server.close()
    })

    test('service settings and a persistent client rewritten as a whole', async () => {
      await a.saveService(key, { protectThreshold: 0.5, metadata: { team: 'x' }, selector: { type: 'none' } }, { DEFAULT: { healthChecker: { type: 'TCP' } } as never }, 1000)
      await b.saveService(key, { protectThreshold: 0.7, metadata: {}, selector: { type: 'none' } }, {}, 2000)
      expect((await a.loadServices()).map((s) => s.meta.protectThreshold)).toEqual([0.7])
      await a.savePersistent(key, '10.0.0.1', 8080, [inst('10.0.0.1'), inst('10.0.0.1', { clusterName: 'B', metadata: { 中: '文' } })], 3000)
      await a.savePersistent(key, '10.0.0.2', 8080, [inst('10.0.0.2', { weight: 2.5 })], 3000)
      await b.savePersistent(key, '10.0.0.1', 8080, [inst('10.0.0.1', { enabled: false })], 4000)
      const rows = (await a.loadPersistent()).map((r) => `${r.instance.ip}/${r.instance.clusterName}/${r.instance.weight}/${r.instance.enabled}`).sort()
      expect(rows).toEqual(['10.0.0.1/DEFAULT/1/false', '10.0.0.2/DEFAULT/2.5/true'])
      expect(writes).toBe(5)
    })

    test('operator edits are written behind, in order', async () => {
      const ov = a.overrides(() => 5000)
      ov.save(key, '10.0.0.1#8080#DEFAULT', { weight: 3, missingSince: undefined })
      ov.save(key, '10.0.0.1#8080#DEFAULT', { weight: 4, metadata: { k: 'v' }, missingSince: undefined })
      ov.save(key, '10.0.0.2#8080#DEFAULT', { enabled: false, missingSince: undefined })
      ov.delete(key, '10.0.0.2#8080#DEFAULT')
      let rows: Awaited<ReturnType<typeof b.loadOverrides>> = []
      for (let i = 0; i < 50; i++) {
        rows = await b.loadOverrides()
        if (rows.length === 1 && rows[0].override.weight === 4) break
        await Bun.sleep(50)
      }
      expect(rows.map((r) => [r.id, r.override.weight, r.override.metadata])).toEqual([['10.0.0.1#8080#DEFAULT', 4, { k: 'v' }]])
    })

    test('a second node reloads what the first stored, and pushes nothing when nothing changed', async () => {
      const nodeA = await createNaming(a, { pushDelayMs: 10 })
      const nodeB = await createNaming(b, { pushDelayMs: 10 })
      try {
        await registerByAddress(nodeA, key, inst('10.0.0.3'))
        await updateService(nodeA, key, { protectThreshold: 0.2 })
        await createService(nodeA, { ...key, name: 'payments' }, {})
        expect(await reloadStored(nodeB)).toBeGreaterThanOrEqual(3)
        const s = nodeB.registry.get(key)!
        expect(s.meta.protectThreshold).toBe(0.2)
        expect(nodeB.registry.instances(s).map((i) => i.ip).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3'])
        expect(nodeB.registry.get({ ...key, name: 'payments' })?.explicit).toBe(true)
        expect(await reloadStored(nodeB)).toBe(0)
      } finally {
        nodeA.pusher.stop()
        nodeB.pusher.stop()
      }
    })

    test('the database down: a persistent register is refused and the registry is unchanged', async () => {
      const node = await createNaming(a, { pushDelayMs: 10 })
      try {
        await server.stop()
        const err = await Promise.resolve(registerByAddress(node, key, inst('10.0.0.9'))).catch((e) => e)
        expect(err).toBeInstanceOf(NacosError)
        expect((err as NacosError).kind).toBe('unavailable')
        expect(node.registry.instances(node.registry.get(key)!).some((i) => i.ip === '10.0.0.9')).toBe(false)
      } finally {
        await server.start()
        node.pusher.stop()
      }
    })
  })
}

suite('MariaDB', startMariaDb, available().mariadb)
suite('PostgreSQL', startPostgres, available().postgres)
