import { fail } from '../shared/errors'
import type { Params } from '../shared/http'
import { normalizeNamespace } from '../shared/namespace'
import type { ConfigCenter } from './center'
import type { ConfigKey } from './model'
import { parsePolicy } from './transfer/apply'
import type { ImportRefusal } from './transfer/import'

// The zip and YAML code (fflate, yaml) loads on the first export, import or clone: most servers never do one,
// and every module loaded at start costs startup time and resident memory.
const exporting = () => import('./transfer/export')
const importing = () => import('./transfer/import')
const cloning = () => import('./transfer/clone')

/**
 * Nacos's RestResult codes for import and clone (config.server ResultCodeEnum): these replies are HTTP 200 with the
 * code in the body, which is what the Nacos console reads.
 */
const refusalCodes: Record<ImportRefusal | 'noneSelected', number> = { namespaceMissing: 100001, badMetadata: 100002, invalid: 100003, unreadable: 100004, empty: 100005, noneSelected: 100006 }

/** A RestResult as a plain object, so the audit hook sees its code (a refusal is not audited as a write). */
const restResult = (code: number, message: string, data: unknown): RestResult => ({ code, message, data })

/** Nacos's RestResult reply. */
export interface RestResult {
  code: number
  message: string
  data: unknown
}

/** Whether a config GET is an export (`export=true` for the v1 zip, `exportV2=true` for the v2 zip). */
export function isExportQuery(p: Params): boolean {
  return p.bool('export') === true || p.bool('exportV2') === true
}

/** Whether a config POST is an import (`import=true`) or a clone (`clone=true`). */
export function isTransferPost(p: Params): boolean {
  return p.bool('import') === true || p.bool('clone') === true
}

/** What the transfer routes need besides the config center: who may read a clone's sources. */
export interface TransferOptions {
  /** Whether the requester may read a source config; default everyone (auth off). */
  mayRead?: (request: Request, key: ConfigKey) => boolean | Promise<boolean>
}

/** The export/import/clone forms of `/nacos/v1/cs/configs` (Nacos ConfigController), dispatched from config/http.ts. */
export function configTransferHttp(cc: ConfigCenter, opts: TransferOptions = {}) {
  return {
    /** `GET ?export=true|exportV2=true&tenant&group&dataId&appName&ids`: a zip download. */
    async exportZip(p: Params): Promise<Response> {
      const { exportConfigs, exportFileName } = await exporting()
      const ids = (p.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
      // A malformed id must not fall back to "no ids", which would export the whole namespace.
      if (ids.some((s) => !/^\d+$/.test(s))) throw fail.invalid("Parameter 'ids' must be a comma-separated list of numbers")
      const { zip } = await exportConfigs(cc, {
        namespace: p.first('tenant', 'namespaceId'), dataId: p.get('dataId'), group: p.get('group'), appName: p.get('appName'), ids: ids.map(Number),
      }, p.bool('exportV2') ? 'v2' : 'v1')
      return new Response(zip, { headers: { 'content-type': 'application/octet-stream', 'Content-Disposition': `attachment;filename=${exportFileName(new Date(cc.now()))}` } })
    },

    /** `POST ?import=true&namespace&policy` (multipart `file`) and `POST ?clone=true&tenant&policy` (JSON body). */
    async post(p: Params, request: Request, body: unknown): Promise<RestResult> {
      const policy = parsePolicy(p.get('policy'))
      const actor = { srcUser: p.first('src_user', 'srcUser') ?? '', srcIp: p.clientIp }
      if (p.bool('clone')) {
        const { cloneConfigs, parseCloneBody } = await cloning()
        const beans = parseCloneBody(body)
        if (beans.length === 0) return restResult(refusalCodes.noneSelected, 'No configuration selected', { succCount: 0 })
        const ns = normalizeNamespace(p.first('tenant', 'namespaceId'))
        const outcome = await cloneConfigs(cc, ns, beans, policy, actor, (k) => opts.mayRead?.(request, k) ?? true)
        if (outcome.ok) return restResult(200, 'Clone Completed Successfully', outcome.result)
        return restResult(refusalCodes[outcome.refusal], outcome.message, { succCount: 0 })
      }
      const file = body && typeof body === 'object' ? (body as Record<string, unknown>).file : undefined
      if (!(file instanceof Blob)) return restResult(refusalCodes.empty, 'Imported file data is empty: send the zip as multipart field `file`', {})
      const { importZip } = await importing()
      const outcome = await importZip(cc, p.get('namespace'), new Uint8Array(await file.arrayBuffer()), policy, actor)
      if (outcome.ok) return restResult(200, 'import success', outcome.result)
      return restResult(refusalCodes[outcome.refusal], outcome.message, { succCount: 0 })
    },
  }
}

/** The transfer routes as config/http.ts receives them. */
export type ConfigTransferHttp = ReturnType<typeof configTransferHttp>
