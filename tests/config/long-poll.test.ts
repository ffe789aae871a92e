// The 1.x long poll (POST /nacos/v1/cs/configs/listener) and the listener view (GET).
import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import type { App } from '../../src/app'
import { call, memoryApp } from '../support/memory'

const md5hex = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')
const CFG = '/nacos/v1/cs/configs'
const LISTENER = '/nacos/v1/cs/configs/listener'
const W = '\u0002'
const L = '\u0001'

/** One Listening-Configs entry: dataId ␂ group ␂ md5 [␂ tenant] ␁ (md5 before tenant). */
const entry = (dataId: string, group: string, md5: string, tenant?: string) => [dataId, group, md5, ...(tenant === undefined ? [] : [tenant])].join(W) + L

async function poll(app: App, listening: string, headers: Record<string, string> = { 'Long-Pulling-Timeout': '30000' }) {
  const t0 = performance.now()
  const r = await call(app, 'POST', LISTENER, { 'Listening-Configs': listening }, { headers })
  return { status: r.status, body: r.text, ms: performance.now() - t0 }
}

async function publish(app: App, dataId: string, content: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  expect((await call(app, 'POST', CFG, { dataId, group: 'G', content, ...extra }, { headers })).text).toBe('true')
}

describe('immediate answers', () => {
  test('a stale md5 is answered at once with the Java-URL-encoded key, tenant omitted for blank-tenant listeners', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 5000 })
    await publish(app, 'a.b-c_d:e', 'x')
    const r = await poll(app, entry('a.b-c_d:e', 'G', 'old'))
    expect([r.status, r.body]).toEqual([200, 'a.b-c_d%3Ae%02G%01\n'])
    expect(r.ms).toBeLessThan(1000)
  })

  test('only the stale keys are listed, each with its tenant as sent', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 5000 })
    await publish(app, 'one', '1')
    await publish(app, 'two', '2', { tenant: 'dev' })
    await publish(app, 'three', '3')
    const r = await poll(app, entry('one', 'G', '') + entry('two', 'G', '', 'dev') + entry('three', 'G', md5hex('3')))
    expect(r.body).toBe('one%02G%01two%02G%02dev%01\n')
  })

  test('a tenant spelled "public" is echoed as "public" for a config published under ""', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 5000 })
    await publish(app, 'p', 'x', { tenant: '' })
    expect((await poll(app, entry('p', 'G', '', 'public'))).body).toBe('p%02G%02public%01\n')
  })

  test('Long-Pulling-Timeout-No-Hangup and a missing timeout answer at once, empty when up to date', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 5000 })
    await publish(app, 'n', 'x')
    const fresh = entry('n', 'G', md5hex('x'))
    const noHangup = await poll(app, fresh, { 'Long-Pulling-Timeout': '30000', 'Long-Pulling-Timeout-No-Hangup': 'true' })
    const short = await poll(app, fresh, {})
    for (const r of [noHangup, short]) expect([r.status, r.body, r.ms < 1000]).toEqual([200, '', true])
  })

  test('a Listening-Configs value URL-encoded once more is decoded too', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 5000 })
    await publish(app, 'enc', 'x')
    expect((await poll(app, 'enc%02G%02old%01')).body).toBe('enc%02G%01\n')
  })

  test('a malformed or missing Listening-Configs is a 400', async () => {
    const { app } = await memoryApp()
    expect((await poll(app, `onlyid${W}${L}`)).status).toBe(400)
    expect((await call(app, 'POST', LISTENER, {}, { headers: { 'Long-Pulling-Timeout': '30000' } })).status).toBe(400)
  })

  test('a beta client listening with the formal md5 is stale; other clients are not', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 300 })
    await publish(app, 'b', 'formal')
    await publish(app, 'b', 'beta', {}, { betaIps: '10.9.9.9' })
    const listening = entry('b', 'G', md5hex('formal'))
    expect((await poll(app, listening, { 'Long-Pulling-Timeout': '30000', 'X-Forwarded-For': '10.9.9.9' })).body).toBe('b%02G%01\n')
    const other = await poll(app, listening, { 'Long-Pulling-Timeout': '30000', 'X-Forwarded-For': '10.9.9.8' })
    expect([other.body, other.ms >= 250]).toEqual(['', true])
  })
})

describe('held polls', () => {
  test('an up-to-date poll is held until the hold time, then answered 200 with an empty body', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 400 })
    await publish(app, 'h', 'x')
    const r = await poll(app, entry('h', 'G', md5hex('x')) + entry('absent', 'G', ''))
    expect([r.status, r.body]).toEqual([200, ''])
    expect(r.ms).toBeGreaterThanOrEqual(380)
    expect(r.ms).toBeLessThan(2000)
  })

  test('a publish of a listened key releases the poll at once with that key', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 8000 })
    const pending = poll(app, entry('r', 'G', '', 'public'))
    await Bun.sleep(50)
    await publish(app, 'r', 'new', { tenant: '' })
    const r = await pending
    expect(r.body).toBe('r%02G%02public%01\n')
    expect(r.ms).toBeLessThan(2000)
  })

  test('a removal of a listened key releases the poll', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 8000 })
    await publish(app, 'gone', 'x')
    const pending = poll(app, entry('gone', 'G', md5hex('x')))
    await Bun.sleep(50)
    await call(app, 'DELETE', CFG, { dataId: 'gone', group: 'G' })
    expect((await pending).body).toBe('gone%02G%01\n')
  })

  test('publishing another key, or a beta for another IP, does not release the poll', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 500 })
    await publish(app, 'mine', 'x')
    const pending = poll(app, entry('mine', 'G', md5hex('x')), { 'Long-Pulling-Timeout': '30000', 'X-Forwarded-For': '10.0.0.1' })
    await Bun.sleep(50)
    await publish(app, 'theirs', 'y')
    await publish(app, 'mine', 'beta', {}, { betaIps: '10.0.0.2' })
    const r = await pending
    expect([r.body, r.ms >= 480]).toEqual(['', true])
  })

  test('the listener view shows who holds a poll with which md5, and forgets them after', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 8000 })
    await publish(app, 'v', 'x')
    const pending = poll(app, entry('v', 'G', md5hex('x')), { 'Long-Pulling-Timeout': '30000', 'X-Forwarded-For': '10.0.0.7' })
    await Bun.sleep(50)
    const view = await call(app, 'GET', LISTENER, { dataId: 'v', group: 'G', tenant: '' })
    expect(view.json()).toEqual({ collectStatus: 200, lisentersGroupkeyStatus: { '10.0.0.7': md5hex('x') } })
    await publish(app, 'v', 'y')
    expect((await pending).body).toBe('v%02G%01\n')
    expect((await call(app, 'GET', LISTENER, { dataId: 'v', group: 'G' })).json()).toEqual({ collectStatus: 200, lisentersGroupkeyStatus: {} })
    expect(app.config.watches.size).toBe(0)
  })

  test('a client that goes away releases its watches', async () => {
    const { app } = await memoryApp({ longPollMaxMs: 8000 })
    const ctl = new AbortController()
    const pending = call(app, 'POST', LISTENER, { 'Listening-Configs': entry('gone-client', 'G', '') }, { headers: { 'Long-Pulling-Timeout': '30000' }, signal: ctl.signal }).catch(() => undefined)
    await Bun.sleep(50)
    expect(app.config.watches.size).toBe(1)
    ctl.abort()
    await pending
    await Bun.sleep(20)
    expect(app.config.watches.size).toBe(0)
  })

  test(
    'Nacos hold time: max(10 s, timeout - 500 ms), so a 10.5 s timeout is held 10 s',
    async () => {
      const { app } = await memoryApp({ longPollMaxMs: 60_000 })
      const r = await poll(app, entry('slow', 'G', ''), { 'Long-Pulling-Timeout': '10500' })
      expect(r.body).toBe('')
      expect(r.ms).toBeGreaterThanOrEqual(9_950)
      expect(r.ms).toBeLessThan(11_000)
    },
    15_000,
  )
})
