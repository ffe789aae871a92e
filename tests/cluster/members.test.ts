import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClusterSetupError, parseClusterConf, parseMemberList } from '../../src/cluster/members'
import { resolveClusterPlan } from '../../src/cluster/plan'
import { findSelf } from '../../src/cluster/self'

const SECRET = 'a-cluster-secret-of-at-least-32-bytes!'
const none = new Set<string>(['10.0.0.5'])

describe('member list', () => {
  test('BNACOS_CLUSTER_MEMBERS: commas or spaces, default port 8848, IPv6 in brackets, host names', () => {
    const list = parseMemberList('10.0.0.1:8848, 10.0.0.2 [fd00::3]:9000  node-4.example:8850')
    expect(list.map((m) => m.address)).toEqual(['10.0.0.1:8848', '10.0.0.2:8848', '[fd00::3]:9000', 'node-4.example:8850'])
    expect(list[2]).toEqual({ ip: 'fd00::3', port: 9000, address: '[fd00::3]:9000' })
  })

  test('cluster.conf as Nacos reads it: comments, blank lines, trailing comments, several per line', () => {
    const list = parseClusterConf('# the members\n\n10.0.0.1:8848  # first\n10.0.0.2\r\n10.0.0.3:8849,10.0.0.4:8850\n   \n', 'cluster.conf')
    expect(list.map((m) => m.address)).toEqual(['10.0.0.1:8848', '10.0.0.2:8848', '10.0.0.3:8849', '10.0.0.4:8850'])
  })

  test('bad entries name the entry and where it came from', () => {
    expect(() => parseMemberList('10.0.0.1:99999')).toThrow('BNACOS_CLUSTER_MEMBERS: "10.0.0.1:99999" has an invalid port')
    expect(() => parseMemberList('10.0.0.300')).toThrow('not a valid IPv4')
    expect(() => parseMemberList('http://10.0.0.1:8848')).toThrow(ClusterSetupError)
    expect(() => parseMemberList('fd00::1')).toThrow('[addr]:port')
    expect(() => parseClusterConf('10.0.0.1\n10.0.0.1:8848\n', '/etc/cluster.conf')).toThrow('/etc/cluster.conf: member 10.0.0.1:8848 is listed twice')
    expect(() => parseClusterConf('10.0.0.1\nbad host!\n', 'c.conf')).toThrow('c.conf:2')
  })
})

describe('finding self', () => {
  const members = parseMemberList('127.0.0.1:8848,127.0.0.2:8848,127.0.0.3:8849,10.0.0.5:8848')

  test('by port among loopback aliases, narrowed by the bind address', () => {
    expect(findSelf(members, { httpPort: 8849, host: '0.0.0.0', localAddresses: none }).address).toBe('127.0.0.3:8849')
    expect(findSelf(members, { httpPort: 8848, host: '127.0.0.2', localAddresses: none }).address).toBe('127.0.0.2:8848')
  })

  test('an interface address of this machine', () => {
    expect(findSelf(parseMemberList('10.0.0.5:8848,10.0.0.6:8848'), { httpPort: 8848, host: '0.0.0.0', localAddresses: none }).address).toBe('10.0.0.5:8848')
  })

  test('ambiguous or absent: a clear error that says what to set', () => {
    expect(() => findSelf(members, { httpPort: 8848, host: '0.0.0.0', localAddresses: none })).toThrow('several members could be this node (127.0.0.1:8848, 127.0.0.2:8848, 10.0.0.5:8848)')
    expect(() => findSelf(members, { httpPort: 9999, host: '0.0.0.0', localAddresses: none })).toThrow('this node (HTTP port 9999) is not in the member list')
  })

  test('BNACOS_CLUSTER_SELF wins, and must be listed with this node’s port', () => {
    expect(findSelf(members, { httpPort: 8848, host: '0.0.0.0', explicit: '10.0.0.5:8848', localAddresses: new Set() }).address).toBe('10.0.0.5:8848')
    expect(() => findSelf(members, { httpPort: 8848, host: '0.0.0.0', explicit: '10.0.0.9:8848' })).toThrow('BNACOS_CLUSTER_SELF=10.0.0.9:8848 is not in the member list')
    expect(() => findSelf(members, { httpPort: 8850, host: '0.0.0.0', explicit: '127.0.0.3:8849' })).toThrow('names port 8849 but this node serves HTTP on 8850')
  })
})

describe('cluster plan', () => {
  const base = { dataDir: mkdtempSync(join(tmpdir(), 'bnacos-plan-')), httpPort: 8848, host: '127.0.0.1', authTokenSecret: 'shared-token-key', dbUrl: 'mysql://u:p@db:3306/nacos' }

  test('no member list: standalone', () => {
    expect(resolveClusterPlan(base)).toEqual({ mode: 'standalone' })
  })

  test('members + secret: cluster with self found', () => {
    const plan = resolveClusterPlan({ ...base, clusterMembers: '127.0.0.1:8848,127.0.0.2:8848', clusterSecret: SECRET }, none)
    expect(plan.mode).toBe('cluster')
    if (plan.mode === 'cluster') {
      expect(plan.self.address).toBe('127.0.0.1:8848')
      expect(plan.members).toHaveLength(2)
    }
  })

  test('the secret is required and at least 32 bytes', () => {
    expect(() => resolveClusterPlan({ ...base, clusterMembers: '127.0.0.1:8848' })).toThrow('requires BNACOS_CLUSTER_SECRET')
    expect(() => resolveClusterPlan({ ...base, clusterMembers: '127.0.0.1:8848', clusterSecret: 'short' })).toThrow('at least 32 bytes (it is 5)')
    expect(() => resolveClusterPlan({ ...base, authTokenSecret: undefined, clusterMembers: '127.0.0.1:8848', clusterSecret: SECRET }, none)).toThrow('requires BNACOS_AUTH_TOKEN_SECRET, the same on every node')
    expect(() => resolveClusterPlan({ ...base, dbUrl: undefined, clusterMembers: '127.0.0.1:8848', clusterSecret: SECRET }, none)).toThrow('requires BNACOS_DB_URL')
  })

  test('self must be in the list', () => {
    expect(() => resolveClusterPlan({ ...base, clusterMembers: '10.9.9.9:8848', clusterSecret: SECRET }, none)).toThrow('not in the member list')
  })

  test('cluster.conf from BNACOS_CLUSTER_CONF or the data dir; both sources at once refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnacos-plan-'))
    const conf = join(dir, 'members.conf')
    writeFileSync(conf, '127.0.0.1:8848\n127.0.0.2:8848 # b\n')
    const a = resolveClusterPlan({ ...base, clusterConf: conf, clusterSecret: SECRET }, none)
    expect(a.mode === 'cluster' && a.members.length).toBe(2)
    writeFileSync(join(dir, 'cluster.conf'), '127.0.0.1:8848\n')
    const b = resolveClusterPlan({ ...base, dataDir: dir, clusterSecret: SECRET }, none)
    expect(b.mode === 'cluster' && b.source).toBe(join(dir, 'cluster.conf'))
    expect(() => resolveClusterPlan({ ...base, clusterConf: join(dir, 'nope.conf'), clusterSecret: SECRET })).toThrow('does not exist')
    expect(() => resolveClusterPlan({ ...base, clusterConf: conf, clusterMembers: '127.0.0.1', clusterSecret: SECRET })).toThrow('not both')
    expect(() => resolveClusterPlan({ ...base, clusterSelf: '127.0.0.1:8848' })).toThrow('no member list')
  })
})
