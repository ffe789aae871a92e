// Reads the Prometheus text exposition format strictly enough to catch malformed output: every sample line must
// be `name{label="value",…} number`, and every sample must belong to a family declared by # HELP and # TYPE.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

// Values as Go's strconv.ParseFloat reads them (Prometheus's parser): NaN and Inf in any case (prom-client writes `Nan`).
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[nN][aA][nN]|[+-]?[iI][nN][fF]))$/
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** Parses exposition text; throws on the first line that is not valid. */
export function parseExposition(text: string): Sample[] {
  const declared = new Map<string, string>()
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('# HELP ')) continue
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ')
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad TYPE line: ${line}`)
      declared.set(name, type)
      continue
    }
    const m = sampleLine.exec(line)
    if (!m) throw new Error(`malformed sample line: ${line}`)
    const [, name, rawLabels, value] = m
    const family = name.replace(/_(bucket|sum|count|total)$/, '')
    if (!declared.has(name) && !declared.has(family)) throw new Error(`sample without # TYPE: ${line}`)
    const labels: Record<string, string> = {}
    if (rawLabels) {
      const rest = rawLabels.replace(labelPair, (_, k: string, v: string) => {
        labels[k] = v
        return ''
      })
      if (rest.replaceAll(',', '').trim() !== '') throw new Error(`malformed labels: ${line}`)
    }
    const lower = value.toLowerCase()
    samples.push({ name, labels, value: lower === 'nan' ? NaN : lower.endsWith('inf') ? (lower.startsWith('-') ? -Infinity : Infinity) : Number(value) })
  }
  return samples
}

/** The value of one sample whose labels include `labels`; undefined when absent. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))
  return s?.value
}
