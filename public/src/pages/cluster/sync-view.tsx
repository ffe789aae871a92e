import { Table, Typography } from 'antd'
import type { ReactNode } from 'react'

/*
 * Renders replication figures without knowing their fields: the server adds sections and fields (config, naming,
 * later more) without a console change. An object of scalars is a key/value table; an object whose values are
 * all such objects (per-owner figures) one table with a row per key; other nested objects sub-sections.
 */

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isScalar = (v: unknown) => !isObj(v) && !Array.isArray(v)
/** Objects of scalars only (one row of a table). */
const isFlat = (v: unknown): v is Obj => isObj(v) && Object.values(v).every(isScalar)

/** A figure as text: epoch-ms times (`…At`, `…Time`) as local dates, arrays compactly, absent values as a dash. */
export function formatValue(key: string, v: unknown, never: string): string {
  if (v === undefined || v === null || v === '') return '—'
  if (typeof v === 'number' && /(At|Time)$/.test(key)) return v > 0 ? new Date(v).toLocaleString() : never
  if (Array.isArray(v)) return v.length ? v.map((x) => (isScalar(x) ? String(x) : JSON.stringify(x))).join(', ') : '—'
  if (isObj(v)) return JSON.stringify(v)
  return String(v)
}

/** Words the view needs, from the page's translator. */
export interface SyncViewText {
  field: string
  value: string
  never: string
  empty: string
}

function KeyValues({ obj, text, testId }: { obj: Obj; text: SyncViewText; testId: string }) {
  const rows = Object.entries(obj).map(([key, v]) => ({ key, value: formatValue(key, v, text.never) }))
  return (
    <div data-testid={testId}>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        style={{ maxWidth: 640, marginBottom: 12 }}
        columns={[
          { title: text.field, dataIndex: 'key', width: '45%', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
          { title: text.value, dataIndex: 'value' },
        ]}
      />
    </div>
  )
}

function Rows({ obj, text, testId }: { obj: Record<string, Obj>; text: SyncViewText; testId: string }) {
  const fields = [...new Set(Object.values(obj).flatMap((r) => Object.keys(r)))]
  return (
    <div data-testid={testId}>
      <Table
        size="small"
        pagination={false}
        rowKey="__key"
        dataSource={Object.entries(obj).map(([key, r]) => ({ ...r, __key: key }))}
        style={{ maxWidth: 640, marginBottom: 12 }}
        columns={[
          { title: '', dataIndex: '__key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
          ...fields.map((f) => ({ title: f, key: f, render: (_: unknown, r: Obj) => formatValue(f, r[f], text.never) })),
        ]}
      />
    </div>
  )
}

/** One section (a named object): its scalars in one table, then its nested objects, each under its own heading. */
export function SyncSection({ name, value, text, depth = 0, path = name }: { name: string; value: Obj; text: SyncViewText; depth?: number; path?: string }) {
  const scalars: Obj = {}
  const nested: [string, Obj][] = []
  for (const [k, v] of Object.entries(value)) {
    if (isObj(v)) nested.push([k, v])
    else scalars[k] = v
  }
  const heading = Math.min(5, 4 + depth) as 4 | 5
  const parts: ReactNode[] = []
  if (Object.keys(scalars).length) parts.push(<KeyValues key="." obj={scalars} text={text} testId={`sync-${path}`} />)
  for (const [k, v] of nested) {
    const sub = `${path}.${k}`
    if (Object.keys(v).length === 0) {
      parts.push(
        <div key={k} style={{ marginLeft: 16 }}>
          <Typography.Title level={5}>{k}</Typography.Title>
          <Typography.Paragraph type="secondary">{text.empty}</Typography.Paragraph>
        </div>,
      )
    } else if (!isFlat(v) && Object.values(v).every(isFlat)) {
      parts.push(
        <div key={k} style={{ marginLeft: 16 }}>
          <Typography.Title level={5}>{k}</Typography.Title>
          <Rows obj={v as Record<string, Obj>} text={text} testId={`sync-${sub}`} />
        </div>,
      )
    } else parts.push(<SyncSection key={k} name={k} value={v} text={text} depth={depth + 1} path={sub} />)
  }
  return (
    <section data-testid={`sync-section-${path}`} style={{ marginLeft: depth ? 16 : 0 }}>
      <Typography.Title level={heading}>{name}</Typography.Title>
      {parts.length ? parts : <Typography.Paragraph type="secondary">{text.empty}</Typography.Paragraph>}
    </section>
  )
}

/** Every top-level field of the figures: objects as sections, loose scalars gathered in one leading table. */
export function SyncView({ data, text }: { data: Obj; text: SyncViewText }) {
  const loose: Obj = {}
  const sections: [string, Obj][] = []
  for (const [k, v] of Object.entries(data)) {
    if (isObj(v)) sections.push([k, v])
    else loose[k] = v
  }
  return (
    <div>
      {Object.keys(loose).length > 0 && <KeyValues obj={loose} text={text} testId="sync-root" />}
      {sections.map(([k, v]) => <SyncSection key={k} name={k} value={v} text={text} />)}
    </div>
  )
}
