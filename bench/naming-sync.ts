// What the ephemeral-instance replication costs a node as the registry grows (issue 8): in one process, on real
// registries, the owner's checksum (cold: every record serialised; warm: cached digests), its snapshot (records and
// JSON bytes), a peer applying that snapshot from scratch and again unchanged (the repair path), and one delta.
// Run: bun bench/naming-sync.ts [clients...]   (default 1000 10000 50000). Writes bench/results/latest-naming-sync.md.
import { availableParallelism, totalmem } from 'node:os'
import { join } from 'node:path'
import { openStorage } from '../src/storage/db'
import { createNaming } from '../src/naming/center'
import { OwnedClients } from '../src/naming/distro'
import { registerForConnection } from '../src/naming/instances'
import { ReplicaSet } from '../src/naming/replicas'
import { sqliteNamingStore } from '../src/naming/store-sqlite'
import { toInstance } from '../src/naming/validate'

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0)
const counts = sizes.length ? sizes : [1_000, 10_000, 50_000]

async function naming() {
  return createNaming(sqliteNamingStore(openStorage({ dataDir: ':memory:' }).db), { pushDelayMs: 1_000 })
}

/** Milliseconds `fn` takes (best of three). */
function time(fn: () => void): number {
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

const rows: string[] = []
for (const clients of counts) {
  const owner = await naming()
  const owned = new OwnedClients(owner, () => {})
  // 100 services, one instance per gRPC connection, metadata like a Spring Cloud app's.
  for (let i = 0; i < clients; i++) {
    const key = { namespace: 'public', group: 'DEFAULT_GROUP', name: `svc-${i % 100}` }
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
    registerForConnection(owner, `conn-${i}`, key, toInstance({ ip, port: 8080, metadata: { 'preserved.register.source': 'SPRING_CLOUD', version: '1.0.0', zone: 'az-1' } }, key))
  }
  let cold = 0
  {
    const fresh = new OwnedClients(owner, () => {})
    const t0 = performance.now()
    fresh.checksum()
    cold = performance.now() - t0
    fresh.close()
  }
  const ownedAgain = new OwnedClients(owner, () => {})
  ownedAgain.checksum()
  const warm = time(() => ownedAgain.checksum())
  let json = ''
  const snapshot = time(() => void (json = JSON.stringify({ records: ownedAgain.records() })))
  const wire = JSON.parse(json).records as unknown[]
  const peer = await naming()
  const replicas = new ReplicaSet(peer)
  const t0 = performance.now()
  replicas.replace('A', wire)
  const applyFresh = performance.now() - t0
  const applySame = time(() => replicas.replace('A', wire))
  const agree = replicas.checksum('A').checksum === ownedAgain.checksum().checksum
  // A real change each time: the record of one client, its weight alternating.
  const rec = ownedAgain.recordOrRemoval('conn-0') as { services: { instances: { weight: number }[] }[] }
  const versions = [1, 2].map((w) => JSON.parse(JSON.stringify([{ ...rec, services: rec.services.map((s) => ({ ...s, instances: s.instances.map((i) => ({ ...i, weight: w })) })) }])))
  const d0 = performance.now()
  for (let i = 0; i < 200; i++) replicas.apply('A', versions[i % 2])
  const delta = (performance.now() - d0) / 200
  rows.push(`| ${clients.toLocaleString('en')} | ${cold.toFixed(1)} | ${warm.toFixed(1)} | ${snapshot.toFixed(1)} | ${(json.length / 2 ** 20).toFixed(1)} | ${applyFresh.toFixed(0)} | ${applySame.toFixed(1)} | ${(delta * 1000).toFixed(0)} µs | ${agree ? 'yes' : '**no**'} |`)
  owned.close()
  ownedAgain.close()
  console.log(rows.at(-1))
}

const commit = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD']).stdout.toString().trim()
const report = `# Naming replication cost (\`bun bench/naming-sync.ts\`)

${new Date().toISOString().slice(0, 10)}, commit ${commit}, Bun ${Bun.version}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GB.
One instance per gRPC client in 100 services; times in ms (best of three where repeated).

| clients | checksum cold | checksum warm | snapshot build | snapshot MB | peer applies it (fresh) | re-applies it unchanged | one changed client applied | checksums agree |
|---:|---:|---:|---:|---:|---:|---:|---:|:---:|
${rows.join('\n')}

- *checksum warm* is the cost every 5 s on an owner whose clients did not change (digests cached per client);
  *cold* is after every client changed.
- *peer applies it (fresh)* is a node's start (or a partition heal) against an owner of that many clients; *re-applies
  it unchanged* is a repair pull that finds nothing new.
`
await Bun.write(join(import.meta.dir, 'results', 'latest-naming-sync.md'), report)
console.log(report)
