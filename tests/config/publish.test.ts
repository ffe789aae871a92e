// The config verbs on a real in-memory SQLite: publish, read, remove, CAS and validation atomicity.
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { createConfigCenter } from '../../src/config/center'
import { publishConfig } from '../../src/config/publish'
import { getConfig } from '../../src/config/query'
import { removeConfig } from '../../src/config/remove'
import { sqliteConfigStore } from '../../src/config/store-sqlite'
import { NacosError } from '../../src/shared/errors'
import { memoryCenter, tableCounts } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const actor = { srcUser: 'tester', srcIp: '10.0.0.1' }

/** Runs fn and returns the NacosError it throws (fails the test when it does not throw one). */
function thrown(fn: () => unknown): NacosError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(NacosError)
    return e as NacosError
  }
  throw new Error('expected a NacosError')
}

/** Awaits a verb and returns the NacosError it rejects with (fails the test when it resolves). */
async function rejected(p: Promise<unknown>): Promise<NacosError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(NacosError)
    return e as NacosError
  }
  throw new Error('expected a NacosError')
}

describe('publish and read', () => {
  test('a published config reads back with its content, md5, type and modification time', async () => {
    const { cc, clock } = await memoryCenter()
    await publishConfig(cc, { dataId: 'app.yaml', group: 'DEFAULT_GROUP', content: 'a: 1', type: 'yaml', ...actor })
    const { version, ...v } = getConfig(cc, { dataId: 'app.yaml', group: 'DEFAULT_GROUP' }, {})
    expect(version).toBe(cc.cache.formal(v.key)!)
    expect(v).toEqual({
      key: { dataId: 'app.yaml', group: 'DEFAULT_GROUP', namespace: 'public' },
      content: 'a: 1', md5: md5hex('a: 1'), type: 'yaml', encryptedDataKey: '', lastModified: clock.now(), beta: false, tag: undefined,
    })
  })

  test('md5 is the lowercase hex MD5 of the UTF-8 bytes, also for non-ASCII content', async () => {
    const { cc } = await memoryCenter()
    const content = 'greeting=你好, ünïcødé ✓'
    await publishConfig(cc, { dataId: 'u', group: 'G', content })
    expect(getConfig(cc, { dataId: 'u', group: 'G' }, {}).md5).toBe(md5hex(content))
    expect(md5hex(content)).toMatch(/^[0-9a-f]{32}$/)
  })

  test('republishing replaces the content and keeps one row', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'v1' })
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'v2' })
    expect(getConfig(cc, { dataId: 'd', group: 'G' }, {}).content).toBe('v2')
    expect(tableCounts(storage).config).toBe(1)
  })

  test('"", "public" (any case), "null" and no namespace are one namespace', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', namespace: 'public', content: 'one' })
    for (const ns of ['', 'PUBLIC', 'null', undefined]) expect(getConfig(cc, { dataId: 'd', group: 'G', namespace: ns }, {}).content).toBe('one')
    await publishConfig(cc, { dataId: 'd', group: 'G', namespace: '', content: 'two' })
    expect(tableCounts(storage).config).toBe(1)
    expect(getConfig(cc, { dataId: 'd', group: 'G', namespace: 'public' }, {}).content).toBe('two')
  })

  test('a custom namespace is separate from the default one', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', namespace: 'dev', content: 'dev' })
    expect(thrown(() => getConfig(cc, { dataId: 'd', group: 'G' }, {})).kind).toBe('notFound')
    expect(getConfig(cc, { dataId: 'd', group: 'G', namespace: 'dev' }, {}).content).toBe('dev')
  })

  test('a missing config is notFound with the Nacos message "config data not exist"', async () => {
    const { cc } = await memoryCenter()
    const e = thrown(() => getConfig(cc, { dataId: 'nope', group: 'G' }, {}))
    expect([e.kind, e.message]).toEqual(['notFound', 'config data not exist'])
  })

  test('type aliases map to Nacos type names and an empty type is text', async () => {
    const { cc } = await memoryCenter()
    const cases: [string, string][] = [['yml', 'yaml'], ['txt', 'text'], ['htm', 'html'], ['JSON', 'json'], ['', 'text']]
    for (const [given, want] of cases) {
      await publishConfig(cc, { dataId: `t-${want}-${given}`, group: 'G', content: 'c', type: given })
      expect(getConfig(cc, { dataId: `t-${want}-${given}`, group: 'G' }, {}).type).toBe(want)
    }
  })

  test('two databases in one process keep their writes apart (statements are prepared per database)', async () => {
    const a = await memoryCenter()
    const b = await memoryCenter()
    await publishConfig(a.cc, { dataId: 'x', group: 'G', content: 'in a' })
    await publishConfig(b.cc, { dataId: 'x', group: 'G', content: 'in b' })
    await publishConfig(a.cc, { dataId: 'x', group: 'G', content: 'in a, again' })
    await removeConfig(b.cc, { dataId: 'x', group: 'G' }, actor)
    expect(tableCounts(a.storage)).toEqual({ config: 1, gray: 0, history: 2 })
    expect(tableCounts(b.storage)).toEqual({ config: 0, gray: 0, history: 2 })
    expect(getConfig(await createConfigCenter(sqliteConfigStore(a.storage.db), a.cc.limits), { dataId: 'x', group: 'G' }, {}).content).toBe('in a, again')
  })

  test('the cache is rebuilt from the database by a new center', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'persisted' })
    const again = await createConfigCenter(sqliteConfigStore(storage.db), cc.limits)
    expect(getConfig(again, { dataId: 'd', group: 'G' }, {}).content).toBe('persisted')
  })
})

describe('remove', () => {
  test('removing deletes the config; removing again (absent) succeeds', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'x' })
    await removeConfig(cc, { dataId: 'd', group: 'G', namespace: '' }, actor)
    expect(thrown(() => getConfig(cc, { dataId: 'd', group: 'G' }, {})).kind).toBe('notFound')
    expect(tableCounts(storage).config).toBe(0)
    await removeConfig(cc, { dataId: 'd', group: 'G' }, actor)
  })

  test('removing via "public" deletes a config published via ""', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'd', group: 'G', namespace: '', content: 'x' })
    await removeConfig(cc, { dataId: 'd', group: 'G', namespace: 'public' }, actor)
    expect(cc.cache.size).toBe(0)
  })
})

describe('casMd5', () => {
  test('inserts when the config is absent, whatever casMd5 says', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'c', group: 'G', content: 'first', casMd5: md5hex('something else') })
    expect(getConfig(cc, { dataId: 'c', group: 'G' }, {}).content).toBe('first')
  })

  test('updates when casMd5 equals the stored md5', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'c', group: 'G', content: 'v1' })
    await publishConfig(cc, { dataId: 'c', group: 'G', content: 'v2', casMd5: md5hex('v1') })
    expect(getConfig(cc, { dataId: 'c', group: 'G' }, {}).content).toBe('v2')
  })

  test('refuses a stale casMd5 with the Nacos message and stores nothing (no row, no history)', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { dataId: 'c', group: 'G', content: 'v1' })
    const before = tableCounts(storage)
    const e = await rejected(publishConfig(cc, { dataId: 'c', group: 'G', content: 'v2', casMd5: md5hex('v0') }))
    expect([e.kind, e.message]).toEqual(['casFailed', 'Cas publish fail, server md5 may have changed.'])
    expect(tableCounts(storage)).toEqual(before)
    expect(getConfig(cc, { dataId: 'c', group: 'G' }, {}).content).toBe('v1')
  })
})

describe('validation refuses before anything is stored', () => {
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['missing dataId', { dataId: undefined }, /dataId/],
    ['blank dataId', { dataId: '   ' }, /dataId/],
    ['dataId with a slash', { dataId: 'a/b' }, /dataId/],
    ['dataId with a space', { dataId: 'a b' }, /dataId/],
    ['blank group', { group: '' }, /group/],
    ['group with an invalid character', { group: 'G$' }, /group/],
    ['blank content', { content: ' ' }, /content/],
    ['content over the limit', { content: 'x'.repeat(1025) }, /content/],
    ['multi-byte content over the limit in bytes', { content: '你'.repeat(342) }, /content/],
    ['unknown type', { type: 'exe' }, /type/],
    ['more than 5 config tags', { configTags: 'a,b,c,d,e,f' }, /config_tags/],
    ['desc over 128 characters', { desc: 'd'.repeat(129) }, /desc/],
    ['tag over 16 characters', { tag: 't'.repeat(17) }, /tag/],
    ['namespace with a space', { namespace: 'a b' }, /tenant|namespace/i],
    ['namespace over 128 characters', { namespace: 'n'.repeat(129) }, /tenant|namespace/i],
  ]
  for (const [name, override, message] of cases) {
    test(`${name} is refused and leaves the tables unchanged`, async () => {
      const { cc, storage } = await memoryCenter({ maxContentBytes: 1024 })
      await publishConfig(cc, { dataId: 'existing', group: 'G', content: 'keep' })
      const before = tableCounts(storage)
      const e = await rejected(publishConfig(cc, { dataId: 'd', group: 'G', content: 'ok', ...override }))
      // Absent or blank required fields are 'missing' (v2 code 10000); malformed ones 'invalid' (20002).
      expect(e.kind).toBe(/missing|blank/.test(name) ? 'missing' : 'invalid')
      expect(e.message).toMatch(message)
      expect(tableCounts(storage)).toEqual(before)
      expect(cc.cache.size).toBe(1)
    })
  }

  test('content of exactly the limit is accepted; letters of any script are valid in ids', async () => {
    const { cc } = await memoryCenter({ maxContentBytes: 1024 })
    await publishConfig(cc, { dataId: 'db.配置-1:x_y', group: 'グループ', content: 'x'.repeat(1024) })
    expect(getConfig(cc, { dataId: 'db.配置-1:x_y', group: 'グループ' }, {}).content.length).toBe(1024)
  })
})
