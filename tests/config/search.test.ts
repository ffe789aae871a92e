// Config search (accurate / blur, paging, tags) and batch delete by ids, through the v1 HTTP API.
import { describe, expect, test } from 'bun:test'
import type { App } from '../../src/app'
import { call, memoryApp, tableCounts } from '../support/memory'

const CFG = '/nacos/v1/cs/configs'

async function publish(app: App, dataId: string, extra: Record<string, string> = {}) {
  const r = await call(app, 'POST', CFG, { dataId, group: 'DEFAULT_GROUP', content: `c-${dataId}`, ...extra })
  expect([r.status, r.text]).toEqual([200, 'true'])
}

async function search(app: App, params: Record<string, string>) {
  const r = await call(app, 'GET', CFG, { dataId: '', group: '', pageNo: '1', pageSize: '100', ...params })
  expect(r.status).toBe(200)
  const page = r.json()
  return { page, ids: (page.pageItems as { dataId: string }[]).map((i) => i.dataId).sort() }
}

describe('search=accurate', () => {
  test('blank fields match everything in the namespace; a dataId matches exactly', async () => {
    const { app } = await memoryApp()
    for (const d of ['app', 'app.yaml', 'other']) await publish(app, d)
    await publish(app, 'app', { tenant: 'dev' })
    expect((await search(app, { search: 'accurate' })).ids).toEqual(['app', 'app.yaml', 'other'])
    const exact = await search(app, { search: 'accurate', dataId: 'app' })
    expect([exact.ids, exact.page.totalCount]).toEqual([['app'], 1])
    expect((await search(app, { search: 'accurate', tenant: 'dev' })).ids).toEqual(['app'])
  })

  test('a page item renders ConfigInfo with the default tenant as ""', async () => {
    const { app } = await memoryApp()
    await publish(app, 'one.json', { type: 'json', appName: 'shop', desc: 'd' })
    const { page } = await search(app, { search: 'accurate', dataId: 'one.json' })
    expect(page).toMatchObject({ totalCount: 1, pageNumber: 1, pagesAvailable: 1 })
    expect(page.pageItems[0]).toMatchObject({ dataId: 'one.json', group: 'DEFAULT_GROUP', content: 'c-one.json', tenant: '', appName: 'shop', type: 'json', desc: 'd' })
    expect(page.pageItems[0].id).toMatch(/^\d+$/)
  })

  test('filters by group and by appName', async () => {
    const { app } = await memoryApp()
    await publish(app, 'a', { appName: 'shop' })
    await publish(app, 'b', { group: 'OTHER' })
    expect((await search(app, { search: 'accurate', group: 'OTHER' })).ids).toEqual(['b'])
    expect((await search(app, { search: 'accurate', appName: 'shop' })).ids).toEqual(['a'])
  })
})

describe('search=blur', () => {
  test('"*" is a wildcard in dataId and group', async () => {
    const { app } = await memoryApp()
    for (const d of ['app-a', 'app-b', 'xapp', 'db']) await publish(app, d)
    await publish(app, 'grp', { group: 'MY_GROUP' })
    expect((await search(app, { search: 'blur', dataId: 'app*' })).ids).toEqual(['app-a', 'app-b'])
    expect((await search(app, { search: 'blur', dataId: '*app*' })).ids).toEqual(['app-a', 'app-b', 'xapp'])
    expect((await search(app, { search: 'blur', group: '*GROUP' })).ids).toEqual(['app-a', 'app-b', 'db', 'grp', 'xapp'])
  })

  test('without "*" blur matches exactly', async () => {
    const { app } = await memoryApp()
    for (const d of ['app', 'app-a']) await publish(app, d)
    expect((await search(app, { search: 'blur', dataId: 'app' })).ids).toEqual(['app'])
  })

  test('"_" in a blur pattern is a literal character, not a one-character wildcard', async () => {
    const { app } = await memoryApp()
    for (const d of ['my_app.yaml', 'myXapp.yaml']) await publish(app, d)
    expect((await search(app, { search: 'blur', dataId: 'my_app*' })).ids).toEqual(['my_app.yaml'])
  })
})

describe('paging', () => {
  test('pages split the results, with totalCount and pagesAvailable', async () => {
    const { app } = await memoryApp()
    for (let i = 1; i <= 5; i++) await publish(app, `p${i}`)
    const seen: string[] = []
    for (const [no, size] of [[1, 2], [2, 2], [3, 1]]) {
      const { page, ids } = await search(app, { search: 'accurate', pageNo: String(no), pageSize: '2' })
      expect(page).toMatchObject({ totalCount: 5, pageNumber: no, pagesAvailable: 3 })
      expect(ids.length).toBe(size)
      seen.push(...ids)
    }
    expect(seen.sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'])
    expect((await search(app, { search: 'accurate', pageNo: '4', pageSize: '2' })).ids).toEqual([])
  })

  test('a non-integer pageNo is a 400 naming the parameter', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', CFG, { search: 'accurate', dataId: '', group: '', pageNo: 'one', pageSize: '10' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('pageNo')
  })
})

describe('tags', () => {
  test('config_tags selects configs having any of the given tags', async () => {
    const { app } = await memoryApp()
    await publish(app, 'a', { config_tags: 'red,blue' })
    await publish(app, 'b', { config_tags: 'green' })
    await publish(app, 'c')
    expect((await search(app, { search: 'accurate', config_tags: 'blue' })).ids).toEqual(['a'])
    expect((await search(app, { search: 'blur', config_tags: 'green,red' })).ids).toEqual(['a', 'b'])
  })

  test('a tag matches whole tags only, and totalCount agrees with the items', async () => {
    const { app } = await memoryApp()
    await publish(app, 'long', { config_tags: 'production' })
    await publish(app, 'short', { config_tags: 'prod' })
    const { page, ids } = await search(app, { search: 'accurate', config_tags: 'prod' })
    expect(ids).toEqual(['short'])
    expect(page.totalCount).toBe(1)
  })
})

describe('batch delete by ids', () => {
  test('delType=ids deletes exactly the listed configs', async () => {
    const { app, storage } = await memoryApp()
    for (const d of ['a', 'b', 'c']) await publish(app, d)
    const items = (await search(app, { search: 'accurate' })).page.pageItems as { id: string; dataId: string }[]
    const ids = items.filter((i) => i.dataId !== 'b').map((i) => i.id)
    const r = await call(app, 'DELETE', CFG, { delType: 'ids', ids: ids.join(',') })
    expect([r.status, r.json().code, r.json().data]).toEqual([200, 200, true])
    expect((await search(app, { search: 'accurate' })).ids).toEqual(['b'])
    expect((await call(app, 'GET', CFG, { dataId: 'a', group: 'DEFAULT_GROUP' })).status).toBe(404)
    expect(tableCounts(storage).config).toBe(1)
  })

  test('ids that match nothing still answer data:true (Nacos always does)', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'DELETE', CFG, { delType: 'ids', ids: '998,999' })
    expect([r.status, r.json().code, r.json().data]).toEqual([200, 200, true])
  })

  test('a non-numeric id is a 400 and deletes nothing', async () => {
    const { app, storage } = await memoryApp()
    await publish(app, 'a')
    const r = await call(app, 'DELETE', CFG, { delType: 'ids', ids: '1,x' })
    expect(r.status).toBe(400)
    expect(tableCounts(storage).config).toBe(1)
  })
})
