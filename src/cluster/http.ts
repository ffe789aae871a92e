import { Elysia } from 'elysia'
import { envelope, json } from '../shared/http'
import type { Cluster } from './cluster'
import type { MemberView } from './view'

/** Nacos's RestResult for the v1 core APIs: code 200 and a null message. */
const restResult = (data: unknown) => json({ code: 200, message: null, data })

const queryOf = (request: Request) => new URL(request.url).searchParams

/** v1 `keyword` (NacosClusterController.listNodes): members whose address contains it. */
function byKeyword(list: MemberView[], keyword: string | null): MemberView[] {
  return keyword ? list.filter((m) => m.address.includes(keyword)) : list
}

/** v2 `address` (prefix of the address) and `state` (NodeState name, any case) filters (NacosClusterControllerV2). */
function byAddressAndState(list: MemberView[], address: string | null, state: string | null): MemberView[] {
  return list.filter((m) => (!address || m.address.startsWith(address)) && (!state || m.state === state.trim().toUpperCase()))
}

/** The cluster member APIs (Nacos NacosClusterController v1 and NacosClusterControllerV2). */
export function clusterHttp(cluster: Cluster) {
  return new Elysia()
    .get('/nacos/v1/core/cluster/nodes', ({ request }) => restResult(byKeyword(cluster.list(), queryOf(request).get('keyword'))))
    .get('/nacos/v1/core/cluster/nodes/self', () => restResult(cluster.selfView()))
    .get('/nacos/v1/core/cluster/nodes/self/health', () => restResult(cluster.selfView().state))
    .get('/nacos/v2/core/cluster/node/list', ({ request }) => {
      const q = queryOf(request)
      return envelope(byAddressAndState(cluster.list(), q.get('address'), q.get('state')))
    })
    .get('/nacos/v2/core/cluster/node/self', () => envelope(cluster.selfView()))
    .get('/nacos/v2/core/cluster/node/self/health', () => envelope(cluster.selfView().state))
}
