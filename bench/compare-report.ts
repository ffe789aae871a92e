// The side-by-side report of bench/compare.ts: the scenario catalogue with targets, the Markdown table (one column per
// server, the bnacos / r-nacos ratio, target, pass/miss) and an SVG bar chart of the ratios, written by hand.
import { fmt } from './lib'

/** What one server measured in one scenario: the figure, its detail (latency, CPU…) and whether it is valid. */
export interface Cell {
  value: number
  detail?: string
  /** Errors or missing pushes: a figure with errors never passes. */
  errors?: number
}

/** A scenario row: which way is better and, for the issue's targets, the bound on bnacos / r-nacos. */
export interface Scenario {
  id: string
  label: string
  unit: string
  higherBetter: boolean
  /** Target on the ratio bnacos / r-nacos: `min` (throughput ≥) or `max` (latency, memory ≤). */
  target?: { min?: number; max?: number }
}

/** The scenarios, in report order (after r-nacos's own load tests, see bench/README.md). */
export const scenarios: Scenario[] = [
  { id: 'httpQuery', label: 'HTTP config query', unit: 'req/s', higherBetter: true, target: { min: 1 } },
  { id: 'httpPublish', label: 'HTTP config publish', unit: 'req/s', higherBetter: true },
  { id: 'grpcQuery', label: 'gRPC ConfigQueryRequest', unit: 'req/s', higherBetter: true, target: { min: 1 } },
  { id: 'configPushAck', label: 'Config change → 1,000 listeners, push p99 from the publish ack', unit: 'ms', higherBetter: false, target: { max: 1 } },
  { id: 'configPushSend', label: 'Config change → 1,000 listeners, push p99 from the publish send (end to end)', unit: 'ms', higherBetter: false, target: { max: 1 } },
  { id: 'configPushP50', label: 'Config change → 1,000 listeners, push p50 from the publish send', unit: 'ms', higherBetter: false },
  { id: 'httpRegister', label: 'HTTP instance register', unit: 'req/s', higherBetter: true },
  { id: 'httpBeat', label: 'HTTP instance beat', unit: 'req/s', higherBetter: true },
  { id: 'httpList', label: 'HTTP instance list (1,000 services × 10 instances)', unit: 'req/s', higherBetter: true, target: { min: 1 } },
  { id: 'grpcRegister', label: 'gRPC register from 1,000 connections (10,000 InstanceRequests)', unit: 'inst/s', higherBetter: true, target: { min: 1 } },
  { id: 'namingPush', label: 'Naming push → 1,000 subscribers, p99 from the register send', unit: 'ms', higherBetter: false, target: { max: 1 } },
  { id: 'namingPushP50', label: 'Naming push → 1,000 subscribers, p50', unit: 'ms', higherBetter: false },
  { id: 'capacityRss', label: 'Capacity: RSS with 2,001 connections, 1,000 subscriptions, 10,000 instances', unit: 'MB', higherBetter: false, target: { max: 3 } },
  { id: 'startup', label: 'Startup to ready (median, fresh data dir)', unit: 'ms', higherBetter: false },
  { id: 'idleRss', label: 'Idle RSS', unit: 'MB', higherBetter: false },
  { id: 'binarySize', label: 'Binary size', unit: 'MB', higherBetter: false },
]

export type Results = Record<string, Record<string, Cell>>

const targetText = (t?: Scenario['target']) => (t?.min !== undefined ? `≥ ${t.min}` : t?.max !== undefined ? `≤ ${t.max}` : '—')

/** bnacos / r-nacos, or NaN when either is missing. */
export const ratioOf = (r: Results, id: string) => {
  const [b, n] = [r[id]?.bnacos?.value, r[id]?.['r-nacos']?.value]
  return b !== undefined && n !== undefined && n > 0 ? b / n : NaN
}

function verdictOf(s: Scenario, r: Results): string {
  if (!s.target) return 'info'
  const ratio = ratioOf(r, s.id)
  if (!Number.isFinite(ratio)) return 'n/a'
  if (r[s.id]?.bnacos?.errors) return '**ERROR**'
  const ok = s.target.min !== undefined ? ratio >= s.target.min : ratio <= s.target.max!
  if (ok) return 'PASS'
  const by = s.target.min !== undefined ? `${fmt(100 * (1 - ratio / s.target.min))}% short` : `${fmt(100 * (ratio / s.target.max! - 1))}% over`
  return `**MISS** (${by})`
}

const cellText = (c: Cell | undefined, unit: string) =>
  c ? `**${fmt(c.value, c.value < 10 ? 2 : c.value < 100 ? 1 : 0)}** ${unit}${c.errors ? ` (**${c.errors} errors**)` : ''}` : '—'

/** The main table: scenario, unit, bnacos, r-nacos, Java Nacos, ratio, target, result. */
export function mainTable(r: Results, javaNote: string): string {
  const rows = scenarios.map((s) => {
    const ratio = ratioOf(r, s.id)
    return `| ${s.label} | ${s.unit} (${s.higherBetter ? 'higher' : 'lower'} is better) | ${cellText(r[s.id]?.bnacos, s.unit)} | ${cellText(r[s.id]?.['r-nacos'], s.unit)} | ${javaNote} | ${fmt(ratio, 2)} | ${targetText(s.target)} | ${verdictOf(s, r)} |`
  })
  return ['| Scenario | Unit | bnacos | r-nacos | Java Nacos | bnacos / r-nacos | Target | Result |', '|---|---|---:|---:|---|---:|---|---|', ...rows].join('\n')
}

/** The details table: how each figure was obtained on each server (latency, CPU, errors). */
export function detailTable(r: Results): string {
  const rows = scenarios.map((s) => `| ${s.label} | ${r[s.id]?.bnacos?.detail ?? '—'} | ${r[s.id]?.['r-nacos']?.detail ?? '—'} |`)
  return ['| Scenario | bnacos | r-nacos |', '|---|---|---|', ...rows].join('\n')
}

/** The count of targets met and missed, for the header and the history. */
export function targetSummary(r: Results) {
  const withTarget = scenarios.filter((s) => s.target)
  const v = withTarget.map((s) => [s, verdictOf(s, r)] as const)
  return { pass: v.filter(([, x]) => x === 'PASS').length, total: withTarget.length, missed: v.filter(([, x]) => x !== 'PASS').map(([s, x]) => `${s.label}: ${x.replace(/\*/g, '')}`) }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A horizontal bar chart of the ratios on a log scale around 1 (bnacos better to the right whichever way the unit
 *  goes: for "lower is better" the bar shows r-nacos / bnacos). Green: better than or equal to r-nacos; red: worse. */
export function chartSvg(r: Results, title: string): string {
  const rows = scenarios.filter((s) => Number.isFinite(ratioOf(r, s.id)))
  const [W, labelW, rowH, top] = [980, 470, 26, 56]
  const plotW = W - labelW - 40
  const H = top + rows.length * rowH + 40
  const span = 3 // log2 range each side: 1/8 … 8
  const x = (adv: number) => labelW + plotW / 2 + (Math.max(-span, Math.min(span, Math.log2(adv))) / span) * (plotW / 2)
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="38" fill="#555">bnacos advantage over r-nacos (log scale; right of 1× = bnacos better; throughput: bnacos/r-nacos, latency and size: r-nacos/bnacos)</text>`,
  ]
  for (const t of [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]) {
    const tx = x(t)
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${H - 30}" stroke="${t === 1 ? '#000' : '#ddd'}"/>`)
    out.push(`<text x="${tx}" y="${H - 14}" text-anchor="middle" fill="#555">${t < 1 ? `1/${1 / t}` : t}×</text>`)
  }
  rows.forEach((s, i) => {
    const ratio = ratioOf(r, s.id)
    const adv = s.higherBetter ? ratio : 1 / ratio
    const y = top + i * rowH
    const [x0, x1] = [x(1), x(adv)]
    out.push(`<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(s.label.length > 70 ? `${s.label.slice(0, 68)}…` : s.label)}</text>`)
    out.push(`<rect x="${Math.min(x0, x1)}" y="${y + 4}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${rowH - 8}" fill="${adv >= 1 ? '#3a9d5d' : '#d0473f'}"/>`)
    // The value outside the bar's end, or inside it (white) where outside would run into the labels or the edge.
    const inside = Math.abs(x1 - x0) > 50 && (adv < 1 ? x1 - 50 < labelW : x1 + 50 > W)
    const right = adv >= 1 !== inside
    out.push(`<text x="${right ? x1 + 4 : x1 - 4}" y="${y + 16}" text-anchor="${right ? 'start' : 'end'}" fill="${inside ? '#fff' : '#000'}">${Number.isFinite(adv) ? `${fmt(adv, 2)}×` : '∞ (bnacos 0)'}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}
