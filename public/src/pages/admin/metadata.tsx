import { Tag, Typography } from 'antd'

/**
 * Reads metadata the operator typed: a JSON object of strings (what Nacos's console edits) or `k=v` pairs,
 * one per line or comma-separated (what Nacos's API also accepts). Throws a readable Error otherwise.
 */
export function parseMetadataText(text: string): Record<string, string> {
  const s = text.trim()
  if (!s) return {}
  if (s.startsWith('{')) {
    let v: unknown
    try {
      v = JSON.parse(s)
    } catch (e) {
      throw new Error(`metadata is not valid JSON: ${(e as Error).message}`)
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('metadata must be a JSON object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]))
  }
  const out: Record<string, string> = {}
  for (const part of s.split(/[\n,]/)) {
    if (!part.trim()) continue
    const i = part.indexOf('=')
    if (i <= 0) throw new Error(`metadata entry "${part.trim()}" is not key=value`)
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim()
  }
  return out
}

/** Metadata as the editor shows it: pretty JSON, or empty for none. */
export function formatMetadata(m: Record<string, string> | undefined): string {
  return m && Object.keys(m).length ? JSON.stringify(m, null, 2) : ''
}

/** Metadata as a row of `key=value` tags. */
export function MetadataTags({ value }: { value: Record<string, string> | undefined }) {
  const entries = Object.entries(value ?? {})
  if (!entries.length) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <span className="metadata-tags">
      {entries.map(([k, v]) => (
        <Tag key={k} style={{ marginBottom: 4 }}>
          {k}={v}
        </Tag>
      ))}
    </span>
  )
}
