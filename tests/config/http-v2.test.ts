// The v2 config and history OpenAPI: the {code,message,data} envelope for successes and errors.
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { call, memoryApp, tableCounts } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const V2 = '/nacos/v2/cs/config'
const key = { dataId: 'v2.json', group: 'G' }

describe('config', () => {
  test('POST, GET and DELETE answer the success envelope', async () => {
    const { app } = await memoryApp()
    const p = await call(app, 'POST', V2, { ...key, content: '{"a":1}', type: 'json' })
    expect([p.status, p.json()]).toEqual([200, { code: 0, message: 'success', data: true }])
    const g = await call(app, 'GET', V2, key)
    expect([g.status, g.json()]).toEqual([200, { code: 0, message: 'success', data: '{"a":1}' }])
    const d = await call(app, 'DELETE', V2, key)
    expect(d.json()).toEqual({ code: 0, message: 'success', data: true })
    expect((await call(app, 'GET', V2, key)).status).toBe(404)
  })

  test('a missing config is HTTP 404 with code 20004', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', V2, { dataId: 'nope', group: 'G' })
    expect(r.status).toBe(404)
    expect(r.json().code).toBe(20004)
    expect(JSON.stringify(r.json())).toContain('config data not exist')
  })

  test('namespaceId "" and "public" are one namespace, shared with v1 tenant', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { ...key, namespaceId: 'public', content: 'x' })
    expect((await call(app, 'GET', V2, { ...key, namespaceId: '' })).json().data).toBe('x')
    expect((await call(app, 'GET', '/nacos/v1/cs/configs', { ...key, tenant: '' })).text).toBe('x')
    await call(app, 'POST', V2, { ...key, namespaceId: 'dev', content: 'dev' })
    expect((await call(app, 'GET', V2, { ...key, namespaceId: 'dev' })).json().data).toBe('dev')
  })

  test('GET with a tag reads only the tag version', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { ...key, content: 'formal' })
    await call(app, 'POST', V2, { ...key, content: 'blue', tag: 'blue' })
    expect((await call(app, 'GET', V2, { ...key, tag: 'blue' })).json().data).toBe('blue')
    expect((await call(app, 'GET', V2, { ...key, tag: 'green' })).status).toBe(404)
  })

  test('GET from a beta IP reads the beta version', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { ...key, content: 'formal' })
    await call(app, 'POST', V2, { ...key, content: 'beta' }, { headers: { betaIps: '10.1.1.1' } })
    expect((await call(app, 'GET', V2, key, { headers: { 'X-Forwarded-For': '10.1.1.1' } })).json().data).toBe('beta')
    expect((await call(app, 'GET', V2, key, { headers: { 'X-Forwarded-For': '10.1.1.2' } })).json().data).toBe('formal')
  })
})

describe('errors: HTTP status + {code,message,data}, nothing stored', () => {
  const invalid: [string, Record<string, string>, string][] = [
    ['invalid dataId', { dataId: 'a*b', group: 'G', content: 'x' }, 'dataId'],
    ['invalid group', { dataId: 'd', group: 'g/h', content: 'x' }, 'group'],
    ['content over the limit', { dataId: 'd', group: 'G', content: 'y'.repeat(2000) }, 'content'],
    ['unknown type', { dataId: 'd', group: 'G', content: 'x', type: 'exe' }, 'type'],
    ['invalid namespaceId', { dataId: 'd', group: 'G', content: 'x', namespaceId: 'a b' }, 'namespaceId'],
  ]
  for (const [name, params, param] of invalid) {
    test(`${name} is 400 with code 20002`, async () => {
      const { app, storage } = await memoryApp({ configMaxContentBytes: 1024 })
      const before = tableCounts(storage)
      const r = await call(app, 'POST', V2, params)
      expect(r.status).toBe(400)
      const body = r.json()
      expect(Object.keys(body).sort()).toEqual(['code', 'data', 'message'])
      expect(body.code).toBe(20002)
      expect(`${body.message} ${body.data}`).toContain(param)
      expect(tableCounts(storage)).toEqual(before)
    })
  }

  test('a missing or blank dataId, group or content is 400 with code 10000 (PARAMETER_MISSING)', async () => {
    const { app, storage } = await memoryApp()
    const cases: Record<string, string>[] = [{ group: 'G', content: 'x' }, { dataId: ' ', group: 'G', content: 'x' }, { dataId: 'd', content: 'x' }, { dataId: 'd', group: 'G' }, { dataId: 'd', group: 'G', content: '' }]
    for (const params of cases) {
      const r = await call(app, 'POST', V2, params)
      expect([r.status, r.json().code]).toEqual([400, 10000])
    }
    expect(tableCounts(storage)).toEqual({ config: 0, gray: 0, history: 0 })
  })

  test('a stale casMd5 is HTTP 500 with code 20005 and stores nothing', async () => {
    const { app, storage } = await memoryApp()
    await call(app, 'POST', V2, { ...key, content: 'v1' })
    const before = tableCounts(storage)
    const r = await call(app, 'POST', V2, { ...key, content: 'v2' }, { headers: { casMd5: md5hex('stale') } })
    expect(r.json().code).toBe(20005)
    expect(tableCounts(storage)).toEqual(before)
    expect(r.status).toBe(500)
  })

  test('an unknown v2 path answers the envelope with 404', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', '/nacos/v2/cs/nothing')
    expect([r.status, r.json().code]).toEqual([404, 20004])
  })
})

describe('history', () => {
  test('list, detail, previous and configs answer inside the envelope', async () => {
    const { app } = await memoryApp()
    for (const content of ['v1', 'v2']) await call(app, 'POST', V2, { ...key, namespaceId: 'dev', content })
    const list = (await call(app, 'GET', '/nacos/v2/cs/history/list', { ...key, namespaceId: 'dev' })).json()
    expect(list).toMatchObject({ code: 0, message: 'success', data: { totalCount: 2, pageNumber: 1 } })
    expect(list.data.pageItems.map((h: any) => [h.opType, h.content, h.tenant])).toEqual([['U', 'v1', 'dev'], ['I', 'v1', 'dev']])
    const nid = list.data.pageItems[1].id
    const detail = (await call(app, 'GET', '/nacos/v2/cs/history', { ...key, namespaceId: 'dev', nid })).json()
    expect(detail).toMatchObject({ code: 0, data: { id: nid, opType: 'I', content: 'v1', md5: md5hex('v1') } })
    const configId = list.data.pageItems[0].configId
    const prev = (await call(app, 'GET', '/nacos/v2/cs/history/previous', { ...key, namespaceId: 'dev', id: configId })).json()
    expect(prev).toMatchObject({ code: 0, data: { opType: 'U', content: 'v1' } })
    const configs = (await call(app, 'GET', '/nacos/v2/cs/history/configs', { namespaceId: 'dev' })).json()
    expect(configs).toMatchObject({ code: 0, data: [{ dataId: key.dataId, group: 'G', tenant: 'dev' }] })
  })

  test('detail with another config\'s key is refused in the envelope', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { ...key, content: 'x' })
    const nid = (await call(app, 'GET', '/nacos/v2/cs/history/list', key)).json().data.pageItems[0].id
    const r = await call(app, 'GET', '/nacos/v2/cs/history', { dataId: 'other', group: 'G', nid })
    expect([r.status, r.json().code]).toEqual([404, 20004])
  })

  test('a non-integer pageNo is 400 with code 20002', async () => {
    const { app } = await memoryApp()
    const r = await call(app, 'GET', '/nacos/v2/cs/history/list', { ...key, pageNo: '1.5' })
    expect([r.status, r.json().code]).toEqual([400, 20002])
  })
})
