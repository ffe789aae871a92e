import { Elysia } from 'elysia'
import { json, paramsOf } from '../shared/http'
import type { ConfigCenter } from './center'
import { formatChanged, parseListeningConfigs, staleItems, waitForChange } from './long-poll'
import { toKey } from './publish'

/** The 1.x long-poll listener and the listener view (Nacos ConfigController /listener). */
export function configListenerHttp(cc: ConfigCenter, maxHoldMs: number) {
  return new Elysia({ prefix: '/nacos/v1/cs/configs/listener' })
    .post('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const items = parseListeningConfigs(p.need('Listening-Configs'))
      const labels = { clientIp: p.clientIp, tag: p.header('Vipserver-Tag') }
      const headers = { 'content-type': 'text/html;charset=UTF-8', Pragma: 'no-cache', 'Cache-Control': 'no-cache,no-store' }
      const changed = staleItems(cc, items, labels)
      const timeout = Number(p.header('Long-Pulling-Timeout'))
      // Answer at once when something changed, for short polls, and for the 1.x client's "no hang-up" first poll.
      if (changed.length || !Number.isFinite(timeout) || timeout <= 0 || p.header('Long-Pulling-Timeout-No-Hangup') === 'true') {
        return new Response(formatChanged(changed), { headers })
      }
      // Nacos holds for max(10 s, timeout − 500 ms): 29.5 s for the clients' 30 s, so they never time out first.
      const hold = Math.min(maxHoldMs, Math.max(10_000, timeout - 500))
      const later = await waitForChange(cc, items, labels, hold, request.signal)
      return new Response(formatChanged(later), { headers })
    })
    .get('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const key = toKey(p.get('dataId'), p.get('group'), p.first('tenant', 'namespaceId'))
      const status: Record<string, string> = {}
      for (const l of cc.watches.listenersOf(key)) status[l.clientIp] = l.md5
      // "lisentersGroupkeyStatus" is misspelled in Nacos's GroupkeyListenserStatus and clients read it so.
      return json({ collectStatus: 200, lisentersGroupkeyStatus: status })
    })
}
