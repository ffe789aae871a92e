import { expect, test } from 'bun:test'
import { registerByAddress, deregisterByAddress } from '../../src/naming/instances'
import type { Instance } from '../../src/naming/model'
import { loadPersistent } from '../../src/naming/repo'
import { clockedNaming } from '../support/naming-memory'

const key = { namespace: 'public', group: 'DEFAULT_GROUP', name: 'noop' }
const inst = (ip: string, over: Partial<Instance> = {}): Instance => ({
  instanceId: `${ip}#8080#DEFAULT#DEFAULT_GROUP@@noop`, ip, port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: { a: '1' }, ...over,
})

test('re-registering the same instance keeps the revision and pushes nothing; a real change does both', async () => {
  const { n, clock } = await clockedNaming()
  const seen: unknown[] = []
  n.subscribers.add(key, { id: 'sub', kind: 'grpc', clusters: '', addr: '1.1.1.1:1', agent: 't', seenAt: 0, deliver: (i) => void seen.push(i) })
  await registerByAddress(n, key, inst('10.0.0.1'))
  n.pusher.flush()
  const rev = n.registry.get(key)!.revision
  expect(seen.length).toBe(1)
  clock.advance(1000)
  await registerByAddress(n, key, inst('10.0.0.1', { metadata: { a: '1' } }))
  n.pusher.flush()
  expect(n.registry.get(key)!.revision).toBe(rev)
  expect(seen.length).toBe(1)
  await registerByAddress(n, key, inst('10.0.0.1', { metadata: { a: '2' } }))
  n.pusher.flush()
  expect(n.registry.get(key)!.revision).toBeGreaterThan(rev)
  expect(seen.length).toBe(2)
})

test('a persistent register rewrites only its own client rows', async () => {
  const { n, storage } = await clockedNaming()
  const p = (ip: string, weight = 1) => inst(ip, { ephemeral: false, weight })
  await registerByAddress(n, key, p('10.0.0.1'))
  await registerByAddress(n, key, p('10.0.0.2'))
  await registerByAddress(n, key, p('10.0.0.1', 3))
  const rows = () => loadPersistent(storage.db).map((r) => `${r.instance.ip}:${r.instance.weight}`).sort()
  expect(rows()).toEqual(['10.0.0.1:3', '10.0.0.2:1'])
  await deregisterByAddress(n, key, '10.0.0.1', 8080, false)
  expect(rows()).toEqual(['10.0.0.2:1'])
})
