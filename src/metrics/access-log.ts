import type { HttpObservation } from './metrics'

/**
 * Writes one JSON line per HTTP request to stdout (BNACOS_ACCESS_LOG, Nacos's Tomcat access log): method,
 * matched route, path, status, duration and client IP. Written whatever the log level: it was asked for.
 */
export function writeAccessLog(o: HttpObservation) {
  process.stdout.write(JSON.stringify({ t: new Date().toISOString(), level: 'info', msg: 'access', method: o.method, route: o.route, path: o.path, status: o.status, ms: Math.round(o.ms * 100) / 100, ip: o.ip }) + '\n')
}
