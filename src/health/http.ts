import { Elysia } from 'elysia'
import { envelope, json, text } from '../shared/http'

/** What the health endpoints consult. */
export interface HealthState {
  ready(): { ok: true } | { ok: false; reason: string }
  serverState(): Record<string, string>
}

/** Liveness, readiness and server state (Nacos HealthController, ServerStateController). */
export function healthHttp(state: HealthState) {
  return new Elysia()
    .get('/nacos/v1/console/health/liveness', () => text('OK'))
    .get('/nacos/v1/console/health/readiness', () => {
      const r = state.ready()
      return r.ok ? text('OK') : text(r.reason, 500)
    })
    .get('/nacos/v2/console/health/liveness', () => envelope('ok'))
    .get('/nacos/v2/console/health/readiness', () => {
      const r = state.ready()
      return r.ok ? envelope('ok') : Response.json({ code: 30000, message: r.reason, data: r.reason }, { status: 500 })
    })
    .get('/nacos/v3/admin/core/state/liveness', () => envelope('ok'))
    .get('/nacos/v1/console/server/state', () => json(state.serverState()))
}
