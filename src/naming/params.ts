import { fail } from '../shared/errors'
import type { Params } from '../shared/http'
import { toServiceKey } from './instances'
import { GROUP_SEP, type ServiceKey } from './model'
import { checkCluster, parseMetadataParam, toInstance } from './validate'
import type { Instance } from './model'

/**
 * The service named by HTTP parameters. Nacos's servlet filter accepts `serviceName` grouped (`group@@svc`,
 * as Node and Go send it) or plain with `groupName` (Python); a grouped name's group wins.
 */
export function serviceKeyOf(p: Params): ServiceKey {
  const raw = p.get('serviceName') ?? ''
  const i = raw.indexOf(GROUP_SEP)
  if (i === 0) throw fail.invalid(`invalid serviceName: ${raw} (groupName can't be empty)`)
  const group = i >= 0 ? raw.slice(0, i) : p.get('groupName')
  const name = i >= 0 ? raw.slice(i + GROUP_SEP.length) : raw
  return toServiceKey(p.first('namespaceId', 'namespace'), group, name)
}

/** The cluster named by `clusterName` or the legacy `cluster`. */
export function clusterOf(p: Params): string {
  return checkCluster(p.first('clusterName', 'cluster'))
}

/** An Instance from HTTP parameters (`enable` is the legacy spelling of `enabled`). */
export function instanceOf(p: Params, key: ServiceKey): Instance {
  return toInstance(
    {
      instanceId: p.get('instanceId'), ip: p.get('ip'), port: p.get('port'), weight: p.get('weight'), healthy: p.get('healthy'),
      // `enable` is the legacy spelling; Nacos falls back to it when `enabled` is absent or blank.
      enabled: p.get('enabled')?.trim() ? p.get('enabled') : p.get('enable'), ephemeral: p.get('ephemeral'), clusterName: p.first('clusterName', 'cluster'),
      metadata: parseMetadataParam(p.get('metadata')),
    },
    key,
  )
}
