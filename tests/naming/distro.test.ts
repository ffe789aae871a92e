// Ephemeral-instance replication's logic, on two registries in one process: what an owner announces, and how
// a peer lays it into its own registry (src/naming/distro.ts, src/naming/replicas.ts).
import { describe, expect, test } from 'bun:test'
import { OwnedClients, type ClientRecord, type RemovedRecord } from '../../src/naming/distro'
import { beat, registerByAddress, registerForConnection } from '../../src/naming/instances'
import { ReplicaSet } from '../../src/naming/replicas'
import { buildServiceInfo } from '../../src/naming/service-info'
import { checkBeats } from '../../src/naming/health'
import { toInstance } from '../../src/naming/validate'
import { clockedNaming } from '../support/naming-memory'

const KEY = { namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders' }
const inst = (ip: string, port = 8080, extra: Record<string, unknown> = {}) => toInstance({ ip, port, ...extra }, KEY)
/** The wire: what a peer receives is the JSON the owner sent. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v))

async function pair() {
  const a = await clockedNaming()
  const b = await clockedNaming()
  const sent: string[] = []
  const owned = new OwnedClients(a.n, (id) => sent.push(id))
  const replicas = new ReplicaSet(b.n)
  const listed = (x: typeof a) => {
    const s = x.n.registry.get(KEY)
    return s ? buildServiceInfo(x.n.registry, KEY, s, { clusters: '', healthyOnly: false, groupedName: true }).hosts.map((h: { ip: string }) => h.ip).sort() : []
  }
  /** Ships what the owner announced since the last call, as the batcher would. */
  const ship = () => {
    const records = [...new Set(sent.splice(0))].map((id) => owned.recordOrRemoval(id))
    replicas.apply('A', wire(records), b.clock.now())
    return records
  }
  return { a, b, owned, replicas, listed, ship, sent }
}

describe('ephemeral clients between two nodes', () => {
  test('a gRPC client registered on the owner is listed on the peer, and its checksums agree', async () => {
    const { a, b, owned, replicas, listed, ship } = await pair()
    registerForConnection(a.n, 'conn-1', KEY, inst('10.0.0.1', 8080, { metadata: { zone: 'east', '2': 'x' } }))
    const records = ship()
    expect(records).toHaveLength(1)
    expect((records[0] as ClientRecord).kind).toBe('grpc')
    expect(listed(b)).toEqual(['10.0.0.1'])
    expect(b.n.registry.clients.get('conn-1')?.kind).toBe('remote')
    expect(replicas.checksum('A')).toEqual(owned.checksum())
    expect(owned.checksum().count).toBe(1)
  })

  test('a disconnect is replicated as a removal; a snapshot without a client removes it too', async () => {
    const { a, b, owned, replicas, listed, ship } = await pair()
    registerForConnection(a.n, 'conn-1', KEY, inst('10.0.0.1'))
    registerForConnection(a.n, 'conn-2', KEY, inst('10.0.0.2'))
    ship()
    expect(listed(b)).toEqual(['10.0.0.1', '10.0.0.2'])
    a.n.registry.removeClient('conn-1')
    const records = ship()
    expect(records).toEqual([{ id: 'conn-1', removed: true } as RemovedRecord])
    expect(listed(b)).toEqual(['10.0.0.2'])
    replicas.replace('A', wire([]), b.clock.now())
    expect(listed(b)).toEqual([])
    expect(replicas.checksum('A').count).toBe(0)
    expect(owned.checksum().count).toBe(1)
  })

  test('clients replicated here are not announced again (no echo)', async () => {
    const { b, replicas } = await pair()
    const echoed: string[] = []
    const bOwned = new OwnedClients(b.n, (id) => echoed.push(id))
    replicas.apply('A', wire([{ id: 'conn-9', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.9')] }] }]), b.clock.now())
    expect(b.n.registry.clients.get('conn-9')?.kind).toBe('remote')
    expect(echoed).toEqual([])
    expect(bOwned.checksum().count).toBe(0)
  })

  test('an owner gone silent has its clients removed; one still heard from keeps them', async () => {
    const { b, replicas, listed } = await pair()
    replicas.apply('A', wire([{ id: 'conn-1', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.1')] }] }]), b.clock.now())
    replicas.apply('C', wire([{ id: 'conn-3', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.3')] }] }]), b.clock.now())
    b.clock.advance(10_000)
    replicas.heard('C', b.clock.now())
    b.clock.advance(6_000)
    expect(replicas.expire(b.clock.now(), 15_000)).toEqual(['A'])
    expect(listed(b)).toEqual(['10.0.0.3'])
  })

  test('a client this node owns is never overwritten by a replica; an HTTP client whose beats move here is adopted', async () => {
    const { a, b, replicas, listed } = await pair()
    // The peer says it holds ip:port client 10.0.0.5 (beating there) ...
    registerByAddress(a.n, KEY, inst('10.0.0.5'))
    const rec = new OwnedClients(a.n, () => {}).recordOrRemoval('10.0.0.5:8080#true')
    replicas.apply('A', wire([rec]), b.clock.now())
    expect(b.n.registry.clients.get('10.0.0.5:8080#true')?.kind).toBe('remote')
    // ... then its beats reach this node: it finds the instance and owns the client from now on.
    const bSent: string[] = []
    new OwnedClients(b.n, (id) => bSent.push(id))
    expect(beat(b.n, KEY, '10.0.0.5', 8080, 'DEFAULT').found).toBe(true)
    expect(b.n.registry.clients.get('10.0.0.5:8080#true')?.kind).toBe('http')
    expect(bSent).toContain('10.0.0.5:8080#true')
    // The old owner marking it unhealthy (no beats there any more) does not take it back, and its removal there
    // leaves it here.
    replicas.apply('A', wire([{ ...rec, services: [{ ...KEY, instances: [inst('10.0.0.5', 8080, { healthy: false })] }] }]), b.clock.now())
    expect(b.n.registry.clients.get('10.0.0.5:8080#true')?.kind).toBe('http')
    replicas.apply('A', wire([{ id: rec.id, removed: true }]), b.clock.now())
    expect(listed(b)).toEqual(['10.0.0.5'])
    // Owned here, it expires here: no beats for 30 s.
    b.clock.advance(31_000)
    checkBeats(b.n)
    expect(listed(b)).toEqual([])
  })

  test('a change of an HTTP client this node owns, from the node now getting its beats, hands it over', async () => {
    const { a, b, replicas, listed } = await pair()
    registerByAddress(b.n, KEY, inst('10.0.0.6'))
    const bSent: string[] = []
    new OwnedClients(b.n, (id) => bSent.push(id))
    const id = '10.0.0.6:8080#true'
    // A snapshot is no evidence of where the beats go: ours stays ours.
    replicas.replace('A', wire([{ id, kind: 'http', services: [{ ...KEY, instances: [inst('10.0.0.6')] }] }]), b.clock.now())
    expect(b.n.registry.clients.get(id)?.kind).toBe('http')
    // A change is: A registered or adopted it. B stops owning it (announcing that) and will not expire it.
    replicas.apply('A', wire([{ id, kind: 'http', services: [{ ...KEY, instances: [inst('10.0.0.6', 8080, { weight: 2 })] }] }]), b.clock.now())
    expect(b.n.registry.clients.get(id)?.kind).toBe('remote')
    expect(bSent).toEqual([id])
    expect(b.n.beats.size).toBe(0)
    b.clock.advance(60_000)
    checkBeats(b.n)
    expect(listed(b)).toEqual(['10.0.0.6'])
    expect(b.n.registry.instances(b.n.registry.get(KEY)!)[0].weight).toBe(2)
    void a
  })

  test('two owners reporting one HTTP client: the registry shows it once, and keeps it until both let go', async () => {
    const { b, replicas, listed } = await pair()
    const rec = (w: number) => ({ id: '10.0.0.7:8080#true', kind: 'http', services: [{ ...KEY, instances: [inst('10.0.0.7', 8080, { weight: w })] }] })
    replicas.apply('A', wire([rec(1)]), b.clock.now())
    replicas.apply('C', wire([rec(2)]), b.clock.now())
    expect(listed(b)).toEqual(['10.0.0.7'])
    replicas.apply('C', wire([{ id: '10.0.0.7:8080#true', removed: true }]), b.clock.now())
    const s = b.n.registry.get(KEY)!
    expect(b.n.registry.instances(s).map((i) => i.weight)).toEqual([1])
    replicas.drop('A')
    expect(listed(b)).toEqual([])
  })

  test('an SDK that re-registered here while its dead node\'s copy lingers is listed once', async () => {
    const { b, replicas, listed } = await pair()
    replicas.apply('A', wire([{ id: 'conn-old', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.1')] }] }]), b.clock.now())
    registerForConnection(b.n, 'conn-new', KEY, inst('10.0.0.1'))
    expect(listed(b)).toEqual(['10.0.0.1'])
    replicas.drop('A')
    expect(listed(b)).toEqual(['10.0.0.1'])
  })

  test('malformed records from a peer are ignored, the rest applied', async () => {
    const { b, replicas, listed } = await pair()
    replicas.apply('A', wire([
      { id: 'bad-1', kind: 'grpc', services: [{ ...KEY, instances: [{ ip: 'not an ip', port: 80 }] }] },
      { id: 'bad-2', kind: 'weird', services: [] },
      null,
      { id: 'ok-1', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.1')] }] },
    ]), b.clock.now())
    expect(listed(b)).toEqual(['10.0.0.1'])
  })

  test('a replica never mixes into a service holding persistent instances', async () => {
    const { b, replicas } = await pair()
    await registerByAddress(b.n, KEY, inst('10.0.0.1', 80, { ephemeral: false }))
    replicas.apply('A', wire([{ id: 'conn-1', kind: 'grpc', services: [{ ...KEY, instances: [inst('10.0.0.2')] }] }]), b.clock.now())
    const s = b.n.registry.get(KEY)!
    expect(b.n.registry.instances(s).map((i) => i.ip)).toEqual(['10.0.0.1'])
  })
})
