// Config history: the rows each change writes, the v1 history API, and purge by retention.
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import type { App } from '../../src/app'
import { getHistory, listHistory, purgeHistory } from '../../src/config/history'
import { publishConfig } from '../../src/config/publish'
import { removeConfig } from '../../src/config/remove'
import { call, historyRows, memoryApp, memoryCenter } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const HIS = '/nacos/v1/cs/history'
const CFG = '/nacos/v1/cs/configs'
const key = { dataId: 'h.yaml', group: 'G' }
const DAY = 86_400_000

describe('history rows', () => {
  test('insert, update and delete write I/U/D rows; U and D hold the content before the change', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'v1', srcUser: 'alice', srcIp: '10.0.0.1' })
    await publishConfig(cc, { ...key, content: 'v2' })
    await removeConfig(cc, key, { srcUser: 'bob', srcIp: '10.0.0.2' })
    const rows = historyRows(storage)
    expect(rows.map((r) => [r.op_type, r.content, r.publish_type])).toEqual([['I', 'v1', 'formal'], ['U', 'v1', 'formal'], ['D', 'v2', 'formal']])
    expect(new Set(rows.map((r) => r.id)).size).toBe(1)
    expect((await listHistory(cc, key)).pageItems.map((h) => [h.opType, h.md5, h.srcUser])).toEqual([['D', md5hex('v2'), 'bob'], ['U', md5hex('v1'), ''], ['I', md5hex('v1'), 'alice']])
  })

  test('gray publishes and removals are recorded with publishType gray and their gray name', async () => {
    const { cc, storage } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'b1', betaIps: '10.0.0.2' })
    await publishConfig(cc, { ...key, content: 't1', tag: 'blue' })
    await publishConfig(cc, { ...key, content: 't2', tag: 'blue' })
    await removeConfig(cc, { ...key, tag: 'blue' }, { srcUser: '', srcIp: '' })
    expect(historyRows(storage).map((r) => [r.op_type, r.publish_type, r.gray_name, r.content])).toEqual([
      ['I', 'gray', 'beta', 'b1'], ['I', 'gray', 'tag_blue', 't1'], ['U', 'gray', 'tag_blue', 't1'], ['D', 'gray', 'tag_blue', 't2'],
    ])
  })

  test('history is kept per namespace: "" and "public" share it, another namespace does not', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, namespace: '', content: 'a' })
    await publishConfig(cc, { ...key, namespace: 'dev', content: 'b' })
    expect((await listHistory(cc, { ...key, namespace: 'public' })).totalCount).toBe(1)
    expect((await listHistory(cc, { ...key, namespace: 'dev' })).pageItems[0].content).toBe('b')
  })
})

describe('purge by retention', () => {
  test('rows older than the retention period go, newer ones stay', async () => {
    const { cc, storage, clock } = await memoryCenter({ historyRetentionDays: 30 })
    await publishConfig(cc, { dataId: 'old', group: 'G', content: 'o' })
    clock.advance(10 * DAY)
    await publishConfig(cc, { dataId: 'mid', group: 'G', content: 'm' })
    clock.advance(21 * DAY)
    await publishConfig(cc, { dataId: 'new', group: 'G', content: 'n' })
    expect(await purgeHistory(cc)).toBe(1)
    expect(historyRows(storage).map((r) => r.data_id)).toEqual(['mid', 'new'])
    expect(await purgeHistory(cc)).toBe(0)
  })

  test('a row exactly at the retention boundary is kept', async () => {
    const { cc, storage, clock } = await memoryCenter({ historyRetentionDays: 1 })
    await publishConfig(cc, { dataId: 'edge', group: 'G', content: 'e' })
    clock.advance(DAY)
    expect(await purgeHistory(cc)).toBe(0)
    clock.advance(1)
    expect(await purgeHistory(cc)).toBe(1)
    expect(historyRows(storage)).toEqual([])
  })

  test('retention 0 keeps history forever', async () => {
    const { cc, storage, clock } = await memoryCenter({ historyRetentionDays: 0 })
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'x' })
    clock.advance(10_000 * DAY)
    expect(await purgeHistory(cc)).toBe(0)
    expect(historyRows(storage).length).toBe(1)
  })

  test('purging history leaves the configs themselves alone', async () => {
    const { cc, clock } = await memoryCenter({ historyRetentionDays: 1 })
    await publishConfig(cc, { dataId: 'd', group: 'G', content: 'x' })
    clock.advance(2 * DAY)
    await purgeHistory(cc)
    expect(cc.cache.formal({ dataId: 'd', group: 'G', namespace: 'public' })?.content).toBe('x')
  })
})

describe('history over HTTP v1', () => {
  async function seeded(): Promise<App> {
    const { app } = await memoryApp()
    for (const content of ['v1', 'v2', 'v3']) expect((await call(app, 'POST', CFG, { ...key, content })).text).toBe('true')
    return app
  }

  test('list answers a page, newest first, with the default tenant as ""', async () => {
    const app = await seeded()
    const r = await call(app, 'GET', HIS, { search: 'accurate', ...key, pageNo: '1', pageSize: '2' })
    const page = r.json()
    expect(page).toMatchObject({ totalCount: 3, pageNumber: 1, pagesAvailable: 2 })
    expect(page.pageItems.map((h: any) => [h.opType, h.content])).toEqual([['U', 'v2'], ['U', 'v1']])
    expect(page.pageItems[0]).toMatchObject({ dataId: key.dataId, group: 'G', tenant: '', md5: md5hex('v2') })
  })

  test('detail by nid answers the row when dataId and group match it', async () => {
    const app = await seeded()
    const first = (await call(app, 'GET', HIS, { search: 'accurate', ...key, pageNo: '3', pageSize: '1' })).json().pageItems[0]
    const r = await call(app, 'GET', HIS, { nid: first.id, ...key })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ id: first.id, opType: 'I', content: 'v1', dataId: key.dataId, group: 'G' })
  })

  test('detail refuses a nid that belongs to another config and leaks nothing', async () => {
    const app = await seeded()
    await call(app, 'POST', CFG, { dataId: 'secret', group: 'G', content: 'password=1', tenant: 'other' })
    const his = (await call(app, 'GET', HIS, { search: 'accurate', dataId: 'secret', group: 'G', tenant: 'other' })).json().pageItems[0]
    const r = await call(app, 'GET', HIS, { nid: his.id, ...key })
    expect(r.status).toBe(404)
    expect(r.text).not.toContain('password')
    expect((await call(app, 'GET', HIS, { nid: his.id, dataId: 'secret', group: 'G', tenant: '' })).status).toBe(404)
  })

  test('detail without dataId and group is refused (Nacos requires them)', async () => {
    const app = await seeded()
    const nid = (await call(app, 'GET', HIS, { search: 'accurate', ...key })).json().pageItems[0].id
    const r = await call(app, 'GET', HIS, { nid })
    expect(r.status).toBe(400)
  })

  test('a non-integer nid is a 400; an unknown nid is a 404', async () => {
    const app = await seeded()
    expect((await call(app, 'GET', HIS, { nid: 'abc', ...key })).status).toBe(400)
    expect((await call(app, 'GET', HIS, { nid: '9999', ...key })).status).toBe(404)
  })

  test('previous answers the latest history row of a config id (the version before the current one)', async () => {
    const app = await seeded()
    const cfg = (await call(app, 'GET', CFG, { search: 'accurate', ...key, pageNo: '1', pageSize: '10' })).json().pageItems[0]
    const r = await call(app, 'GET', `${HIS}/previous`, { id: cfg.id, ...key })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ opType: 'U', content: 'v2', configId: cfg.id })
    expect((await call(app, 'GET', `${HIS}/previous`, { id: cfg.id, dataId: 'other', group: 'G' })).status).toBe(404)
  })

  test('configs lists the configs of a namespace', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', CFG, { dataId: 'a', group: 'G', content: 'x', tenant: 'dev', type: 'json', appName: 'shop' })
    await call(app, 'POST', CFG, { dataId: 'b', group: 'G', content: 'x' })
    const r = await call(app, 'GET', `${HIS}/configs`, { tenant: 'dev' })
    expect(r.json()).toEqual([{ id: expect.stringMatching(/^\d+$/), dataId: 'a', group: 'G', tenant: 'dev', appName: 'shop', type: 'json' }])
    expect((await call(app, 'GET', `${HIS}/configs`, { tenant: '' })).json().map((c: any) => [c.dataId, c.tenant])).toEqual([['b', '']])
  })

  test('getHistory with a matching key returns the stored row', async () => {
    const { cc } = await memoryCenter()
    await publishConfig(cc, { ...key, content: 'x' })
    const nid = (await listHistory(cc, key)).pageItems[0].nid
    expect(await getHistory(cc, nid, key)).toMatchObject({ opType: 'I', content: 'x', tenantId: 'public' })
  })
})
