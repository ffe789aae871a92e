import { Elysia } from 'elysia'
import type { Metrics } from './metrics'

/**
 * The Prometheus scrape endpoints: `/metrics` and Java Nacos's `/nacos/actuator/prometheus`. Open like
 * Nacos's actuator (its default nacos.security.ignore.urls lists /actuator/**): they carry counts and
 * route patterns, never names or contents. BNACOS_METRICS_ENABLED=false removes them.
 */
export function metricsHttp(metrics: Metrics) {
  const scrape = async () => new Response(await metrics.text(), { headers: { 'content-type': metrics.registry.contentType } })
  return new Elysia({ name: 'metrics' }).get('/metrics', scrape).get('/nacos/actuator/prometheus', scrape)
}
