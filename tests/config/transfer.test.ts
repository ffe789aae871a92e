// Config export/import/clone verbs on a real in-memory SQLite: the Nacos zip formats, policies, atomicity, limits.
import { describe, expect, test } from 'bun:test'
import { strFromU8, strToU8, Zip, ZipDeflate, zipSync } from 'fflate'
import { publishConfig } from '../../src/config/publish'
import { importItems, parsePolicy } from '../../src/config/transfer/apply'
import { cloneConfigs } from '../../src/config/transfer/clone'
import { exportConfigs, selectForExport } from '../../src/config/transfer/export'
import { importZip, type ImportOutcome } from '../../src/config/transfer/import'
import { readMetaV1, readMetaV2, v1MetaKey } from '../../src/config/transfer/metadata'
import { parseNacosZip, typeFromDataId } from '../../src/config/transfer/nacos-zip'
import { readZip, writeZip } from '../../src/config/transfer/zip'
import { createNamespace } from '../../src/namespace/namespaces'
import { namespaceStore } from '../../src/namespace/store'
import { historyRows, memoryCenter, tableCounts } from '../support/memory'

const actor = { srcUser: 'tester', srcIp: '127.0.0.1' }
const unzipText = (zip: Uint8Array) => Object.fromEntries(readZip(zip, { maxEntries: 100, maxEntryBytes: () => 1 << 20, maxTotalBytes: 1 << 22 }).map((e) => [e.name, strFromU8(e.data)]))

/** A zip written the way java.util.zip.ZipOutputStream writes one: streamed entries with data descriptors. */
function streamedZip(files: Record<string, string>): Uint8Array {
  const chunks: Uint8Array[] = []
  const z = new Zip((err, chunk) => {
    if (err) throw err
    chunks.push(chunk)
  })
  for (const [name, text] of Object.entries(files)) {
    const f = new ZipDeflate(name, { level: 6 })
    z.add(f)
    f.push(strToU8(text), true)
  }
  z.end()
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) out.set(c, (at += c.length) - c.length)
  return out
}

function ok(o: ImportOutcome) {
  if (!o.ok) throw new Error(`import refused: ${o.refusal}: ${o.message}`)
  return o.result
}

/** Java Nacos's 2.x export of two configs, built by the documented format (SnakeYAML block style, sorted keys). */
const nacosV2Zip = () =>
  streamedZip({
    'DEFAULT_GROUP/app.yaml': 'server:\n  port: 8080\n',
    'PAY/pay.properties': 'a=1\n',
    '.metadata.yml': 'metadata:\n- appName: shop\n  dataId: app.yaml\n  desc: main config\n  group: DEFAULT_GROUP\n  type: yaml\n- dataId: pay.properties\n  group: PAY\n  type: properties\n',
  })

describe('Nacos zip formats', () => {
  test('a v2 zip made the Java way imports with type, appName and desc from .metadata.yml', async () => {
    const { cc } = await memoryCenter()
    const r = ok(await importZip(cc, '', nacosV2Zip(), 'ABORT', actor))
    expect(r).toMatchObject({ succCount: 2, skipCount: 0, unrecognizedCount: 0 })
    const app = cc.cache.formal({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' })!
    expect([app.content, app.type, app.appName, app.desc, app.srcUser]).toEqual(['server:\n  port: 8080\n', 'yaml', 'shop', 'main config', 'tester'])
    expect(cc.cache.formal({ namespace: 'public', group: 'PAY', dataId: 'pay.properties' })?.type).toBe('properties')
  })

  test('a v1 zip takes appName from .meta.yml (last dot as ~) and the type from the extension', async () => {
    const { cc } = await memoryCenter()
    const zip = streamedZip({ 'G/a.json': '{"x":1}', 'G/noext': 'plain', '.meta.yml': `${v1MetaKey('G', 'a.json')}=billing\r\n` })
    expect(v1MetaKey('G', 'a.json')).toBe('G.a~json.app')
    ok(await importZip(cc, 'public', zip, 'ABORT', actor))
    const a = cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'a.json' })!
    expect([a.type, a.appName]).toEqual(['json', 'billing'])
    expect(cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'noext' })?.type).toBe('text')
  })

  test('v2 reports entries missing from the metadata and metadata items missing from the zip', async () => {
    const files = { 'G/listed': 'x', 'G/extra': 'y', 'a/b/c': 'deep', '.metadata.yml': 'metadata:\n- dataId: listed\n  group: G\n  type: text\n- dataId: ghost\n  group: G\n  type: text\n' }
    const parsed = parseNacosZip(readZip(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))), { maxEntries: 10, maxEntryBytes: () => 1000, maxTotalBytes: 10000 }))
    expect(parsed.items.map((i) => i.dataId)).toEqual(['listed'])
    expect(parsed.unrecognized.map((u) => u.itemName).sort()).toEqual(['a/b/c', 'not found in file: G/ghost', 'not found in metadata: G/extra'].sort())
  })

  test('our v2 export lists only the five ConfigExportItem fields and quotes YAML 1.1 booleans', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'yes', group: 'G', content: 'c', type: 'yaml', appName: 'on', desc: 'd', configTags: 't1' })
    const files = unzipText((await exportConfigs(cc, {}, 'v2')).zip)
    expect(Object.keys(files).sort()).toEqual(['.metadata.yml', 'G/yes'])
    expect(files['.metadata.yml']).toBe('metadata:\n  - appName: "on"\n    dataId: "yes"\n    desc: d\n    group: G\n    type: yaml\n')
    expect(readMetaV2(files['.metadata.yml'])).toEqual([{ group: 'G', dataId: 'yes', type: 'yaml', appName: 'on', desc: 'd' }])
  })

  test('.metadata.yml as SnakeYAML writes it: plain null is absent, quoted and numeric-looking values stay text', async () => {
    const java = "metadata:\n- appName: null\n  dataId: 'on'\n  desc: |-\n    it's \"q\"\n    line2\n  group: '1.50'\n  type: text\n- appName: 'null'\n  dataId: 1.50\n  desc: ~\n  group: x\n  type: json\n"
    expect(readMetaV2(java)).toEqual([
      { group: '1.50', dataId: 'on', type: 'text', appName: undefined, desc: 'it\'s "q"\nline2' },
      { group: 'x', dataId: '1.50', type: 'json', appName: 'null', desc: undefined },
    ])
  })

  test('our v1 export writes .meta.yml lines only for configs with an appName', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'a.b.yaml', group: 'G', content: 'x', appName: 'app1' })
    await publishConfig(cc, { dataId: 'plain', group: 'G', content: 'y' })
    const files = unzipText((await exportConfigs(cc, { namespace: 'public' }, 'v1')).zip)
    expect(files['.meta.yml']).toBe('G.a.b~yaml.app=app1\r\n')
    expect(readMetaV1(files['.meta.yml']).get('G.a.b~yaml.app')).toBe('app1')
    expect([files['G/a.b.yaml'], files['G/plain']]).toEqual(['x', 'y'])
  })

  test('export then import into another namespace round-trips content and metadata', async () => {
    const { cc, storage } = await memoryCenter()
    await createNamespace(namespaceStore(storage), { id: 'copy', name: 'copy' })
    await publishConfig(cc, { dataId: 'db.properties', group: 'G', content: 'url=jdbc:x\n', type: 'properties', appName: 'a', desc: 'd' })
    await publishConfig(cc, { dataId: 'ünïcode.txt', group: 'G2', content: '中文 ✓' })
    for (const format of ['v1', 'v2'] as const) {
      const { zip, count } = await exportConfigs(cc, { namespace: 'public' }, format)
      expect(count).toBe(2)
      ok(await importZip(cc, 'copy', zip, 'OVERWRITE', actor))
      const got = (await selectForExport(cc, { namespace: 'copy' })).map((c) => [c.group, c.dataId, c.content, c.type, c.appName])
      expect(got).toEqual((await selectForExport(cc, { namespace: 'public' })).map((c) => [c.group, c.dataId, c.content, c.type, c.appName]))
    }
  })

  test('typeFromDataId follows Nacos FileTypeEnum extensions', async () => {
    expect(['a.yml', 'a.YAML', 'a.htm', 'a.txt', 'a.conf', 'a'].map(typeFromDataId)).toEqual(['yaml', 'yaml', 'html', 'text', 'text', 'text'])
  })
})

describe('policies', () => {
  const seed = async () => {
    const m = await memoryCenter()
    await publishConfig(m.cc, { dataId: 'b', group: 'G', content: 'old-b', configTags: 'keep' })
    return m
  }
  const items = [
    { group: 'G', dataId: 'a', content: 'new-a' },
    { group: 'G', dataId: 'b', content: 'new-b' },
    { group: 'G', dataId: 'c', content: 'new-c' },
  ]

  test('ABORT with an existing config writes nothing and reports the conflict and the rest', async () => {
    const { cc, storage } = await seed()
    const before = tableCounts(storage)
    const r = await importItems(cc, 'public', items, 'ABORT', actor)
    expect(r).toEqual({ succCount: 0, skipCount: 2, failData: [{ dataId: 'b', group: 'G' }], skipData: [{ dataId: 'a', group: 'G' }, { dataId: 'c', group: 'G' }] })
    expect(tableCounts(storage)).toEqual(before)
    expect(cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'a' })).toBeUndefined()
  })

  test('SKIP keeps the existing config and writes the others', async () => {
    const { cc } = await seed()
    const r = await importItems(cc, 'public', items, 'SKIP', actor)
    expect(r).toEqual({ succCount: 2, skipCount: 1, failData: [], skipData: [{ dataId: 'b', group: 'G' }] })
    expect(cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'b' })?.content).toBe('old-b')
    expect(cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'c' })?.content).toBe('new-c')
  })

  test('OVERWRITE replaces content, keeps fields the zip lacks, and writes history as a publish does', async () => {
    const { cc, storage } = await seed()
    const r = await importItems(cc, 'public', items, 'OVERWRITE', actor)
    expect(r.succCount).toBe(3)
    const b = cc.cache.formal({ namespace: 'public', group: 'G', dataId: 'b' })!
    expect([b.content, b.configTags]).toEqual(['new-b', 'keep'])
    expect(historyRows(storage).map((h) => [h.data_id, h.op_type, h.content])).toEqual([['b', 'I', 'old-b'], ['a', 'I', 'new-a'], ['b', 'U', 'old-b'], ['c', 'I', 'new-c']])
  })

  test('listeners of imported keys are told', async () => {
    const { cc } = await seed()
    const told: string[] = []
    const watcher = { clientIp: '10.0.0.1', onChange: (k: { dataId: string }) => void told.push(k.dataId), md5Of: () => undefined }
    for (const i of items) cc.watches.add({ namespace: 'public', group: i.group, dataId: i.dataId }, watcher)
    await importItems(cc, 'public', items, 'SKIP', actor)
    expect(told).toEqual(['a', 'c'])
  })

  test('one invalid config refuses the whole batch, naming it', async () => {
    const { cc, storage } = await seed()
    const before = tableCounts(storage)
    await expect(importItems(cc, 'public', [items[0], { group: 'G', dataId: 'bad/../x', content: 'x' }], 'OVERWRITE', actor)).rejects.toThrow('G/bad/../x: invalid dataId')
    await expect(importItems(cc, 'public', [items[0], { group: 'G', dataId: 'empty', content: '  ' }], 'OVERWRITE', actor)).rejects.toThrow("G/empty: Required parameter 'content' is missing")
    expect(tableCounts(storage)).toEqual(before)
  })

  test('a config over the size limit refuses the import', async () => {
    const { cc } = await memoryCenter({ maxContentBytes: 10 })
    const o = await importZip(cc, '', streamedZip({ 'G/big': 'x'.repeat(11), 'G/small': 'ok' }), 'ABORT', actor)
    // Refused from the zip's declared sizes, before the entry is inflated.
    expect(o).toMatchObject({ ok: false, refusal: 'unreadable' })
    expect(!o.ok && o.message).toContain('G/big is larger than 10 bytes')
    expect(cc.cache.size).toBe(0)
  })

  test('policy names are case-insensitive, blank is ABORT, others are refused', async () => {
    expect([parsePolicy(undefined), parsePolicy('skip'), parsePolicy('Overwrite')]).toEqual(['ABORT', 'SKIP', 'OVERWRITE'])
    expect(() => parsePolicy('replace')).toThrow('invalid policy')
  })
})

describe('refusals and hostile zips', () => {
  test('empty upload, missing namespace, garbage and bad metadata are refused without writes', async () => {
    const { cc } = await memoryCenter()
    expect(await importZip(cc, '', new Uint8Array(), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'empty' })
    expect(await importZip(cc, 'nope', nacosV2Zip(), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'namespaceMissing' })
    expect(await importZip(cc, '', strToU8('not a zip at all, just text'), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'unreadable' })
    expect(await importZip(cc, '', streamedZip({ 'G/a': 'x', '.metadata.yml': 'metadata: []\n' }), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'badMetadata' })
    expect(await importZip(cc, '', streamedZip({ 'G/a': 'x', '.metadata.yml': 'metadata:\n- dataId: a\n  group: G\n' }), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'badMetadata' })
    expect(await importZip(cc, '', streamedZip({ 'G/a': 'x', '.meta.yml': 'G.a.app=x=y\r\n' }), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'badMetadata' })
    expect(await importZip(cc, '', streamedZip({ 'only-a-name': 'x' }), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'empty' })
    expect(cc.cache.size).toBe(0)
  })

  test('YAML aliases in metadata are refused (no billion laughs)', async () => {
    const { cc } = await memoryCenter()
    const yml = 'a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nmetadata:\n- dataId: a\n  group: G\n  type: text\n  desc: *b\n'
    expect(await importZip(cc, '', streamedZip({ 'G/a': 'x', '.metadata.yml': yml }), 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'badMetadata' })
  })

  test('path-traversal names are never configs', async () => {
    const parsed = parseNacosZip(readZip(zipSync({ '../etc': strToU8('x'), '/abs/x': strToU8('y'), 'G/ok': strToU8('z') }), { maxEntries: 10, maxEntryBytes: () => 100, maxTotalBytes: 1000 }))
    expect(parsed.items.map((i) => `${i.group}/${i.dataId}`)).toEqual(['G/ok'])
    expect(parsed.unrecognized.map((u) => u.itemName).sort()).toEqual(['../etc', '/abs/x'])
  })

  test('a zip bomb is refused from its declared sizes before it is inflated', async () => {
    const { cc } = await memoryCenter({ maxContentBytes: 1024 })
    const bomb = zipSync({ 'G/bomb': new Uint8Array(8 * 1024 * 1024) }, { level: 9 })
    expect(bomb.length).toBeLessThan(64 * 1024)
    const o = await importZip(cc, '', bomb, 'ABORT', actor)
    expect(o).toMatchObject({ ok: false, refusal: 'unreadable' })
    expect(!o.ok && o.message).toContain('larger than')
  })

  test('an entry that understates its size is cut off at the declared size, not inflated in full', async () => {
    const zip = zipSync({ 'G/liar': new Uint8Array(1024 * 1024).fill(65) })
    // Patch the central directory's uncompressed size (offset 24 of the header) down to 10 bytes.
    const cd = zip.findLastIndex((_, i) => zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1 && zip[i + 3] === 2)
    new DataView(zip.buffer).setUint32(cd + 24, 10, true)
    const [e] = readZip(zip, { maxEntries: 10, maxEntryBytes: () => 5000, maxTotalBytes: 10000 })
    expect(e.data.length).toBe(10)
  })

  test('too many entries are refused', async () => {
    const files: Record<string, Uint8Array> = {}
    for (let i = 0; i < 30; i++) files[`G/c${i}`] = strToU8('x')
    expect(() => readZip(zipSync(files), { maxEntries: 20, maxEntryBytes: () => 100, maxTotalBytes: 10000 })).toThrow('more than 20 entries')
  })
})

describe('clone', () => {
  test('copies by id into another namespace with renames, type, appName and desc', async () => {
    const { cc, storage } = await memoryCenter()
    await createNamespace(namespaceStore(storage), { id: 'dev', name: 'dev' })
    await publishConfig(cc, { dataId: 'a.yaml', group: 'G', content: 'a: 1', type: 'yaml', appName: 'app', desc: 'first' })
    await publishConfig(cc, { dataId: 'b', group: 'G', content: 'b' })
    const [a, b] = await selectForExport(cc, {})
    const o = await cloneConfigs(cc, 'dev', [{ cfgId: a.id }, { cfgId: b.id, dataId: 'b2', group: 'G2' }, { cfgId: 99999 }], 'ABORT', actor)
    expect(o).toMatchObject({ ok: true, result: { succCount: 2, skipCount: 0 } })
    const copy = cc.cache.formal({ namespace: 'dev', group: 'G', dataId: 'a.yaml' })!
    expect([copy.content, copy.type, copy.appName, copy.desc]).toEqual(['a: 1', 'yaml', 'app', 'first'])
    expect(cc.cache.formal({ namespace: 'dev', group: 'G2', dataId: 'b2' })?.content).toBe('b')
  })

  test('refuses a missing namespace, unknown ids and unreadable sources', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { dataId: 'a', group: 'G', content: 'x' })
    const [a] = await selectForExport(cc, {})
    expect(await cloneConfigs(cc, 'nope', [{ cfgId: a.id }], 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'namespaceMissing' })
    expect(await cloneConfigs(cc, 'public', [{ cfgId: 424242 }], 'ABORT', actor)).toMatchObject({ ok: false, refusal: 'empty' })
    await expect(cloneConfigs(cc, 'public', [{ cfgId: a.id, dataId: 'a2' }], 'ABORT', actor, () => false)).rejects.toThrow('authorization failed')
    expect(await cloneConfigs(cc, 'public', [{ cfgId: a.id }], 'ABORT', actor)).toMatchObject({ ok: true, result: { succCount: 0, failData: [{ dataId: 'a', group: 'G' }] } })
  })
})

describe('export selection', () => {
  test('filters by group, dataId (with * wildcards), appName and ids confined to the namespace', async () => {
    const { cc, storage } = await memoryCenter()
    await createNamespace(namespaceStore(storage), { id: 'other', name: 'other' })
    await publishConfig(cc, { dataId: 'a.yaml', group: 'G', content: '1', appName: 'x' })
    await publishConfig(cc, { dataId: 'b.yaml', group: 'G', content: '2' })
    await publishConfig(cc, { dataId: 'a.yaml', group: 'H', content: '3' })
    await publishConfig(cc, { dataId: 'o', group: 'G', content: '4', namespace: 'other' })
    const ids = async (q: Parameters<typeof selectForExport>[1]) => (await selectForExport(cc, q)).map((c) => `${c.group}/${c.dataId}`)
    expect(await ids({ group: 'G' })).toEqual(['G/a.yaml', 'G/b.yaml'])
    expect(await ids({ dataId: 'a.*' })).toEqual(['G/a.yaml', 'H/a.yaml'])
    expect(await ids({ appName: 'x' })).toEqual(['G/a.yaml'])
    const all = (await selectForExport(cc, { namespace: 'other' })).concat(await selectForExport(cc, {}))
    expect(await ids({ ids: all.map((c) => c.id) })).toEqual(['G/a.yaml', 'G/b.yaml', 'H/a.yaml'])
  })

  test('an empty namespace exports a v2 zip that holds only an empty metadata list', async () => {
    const { cc } = await memoryCenter()
    expect(unzipText((await exportConfigs(cc, {}, 'v2')).zip)).toEqual({ '.metadata.yml': 'metadata: []\n' })
    expect(unzipText(writeZip([]))).toEqual({})
  })
})
