import { Button, Card, DatePicker, Form, Input, Select, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { api } from '../api'
import { useT } from '../i18n'
import { withCommon } from './admin/common-messages'
import { usePaged } from './admin/use-paged'

const messages = withCommon({
  en: {
    title: 'Audit log', at: 'Time', actor: 'Who', ip: 'From', action: 'Action', resource: 'Resource', detail: 'Parameters', range: 'Time range',
    anyAction: 'Any action', anonymous: '(anonymous)', resourcePlaceholder: 'Part of a resource', actorPlaceholder: 'Exact username',
  },
  zh: {
    title: '审计日志', at: '时间', actor: '操作人', ip: '来源地址', action: '操作', resource: '资源', detail: '参数', range: '时间范围',
    anyAction: '全部操作', anonymous: '（匿名）', resourcePlaceholder: '资源的一部分', actorPlaceholder: '完整用户名',
  },
})

/** The actions the server records (src/audit/http.ts). */
const ACTIONS = [
  'config.publish', 'config.remove', 'namespace.create', 'namespace.update', 'namespace.delete', 'user.create', 'user.password', 'user.delete',
  'role.add', 'role.remove', 'permission.grant', 'permission.revoke', 'service.create', 'service.update', 'service.delete', 'instance.update',
]

interface AuditRow {
  id: number
  at: number
  actor: string
  ip: string
  action: string
  resource: string
  detail: Record<string, string>
}

interface Filters {
  actor?: string
  action?: string
  resource?: string
  from?: number
  to?: number
}

/** Who changed what, newest first, filtered by who, action, resource and time. */
export default function AuditPage() {
  const t = useT(messages)
  const [filters, setFilters] = useState<Filters>({})
  const paged = usePaged<AuditRow>(async (pageNo, pageSize) => {
    const r = await api.get<{ data: { totalCount: number; pageItems: AuditRow[] } }>('v1/console/audit', { ...filters, pageNo, pageSize })
    return { rows: r.data?.pageItems ?? [], total: r.data?.totalCount ?? 0 }
  }, [filters], 20)

  const apply = (v: { actor?: string; action?: string; resource?: string; range?: [Dayjs | null, Dayjs | null] | null }) =>
    setFilters({
      actor: v.actor?.trim() || undefined, action: v.action || undefined, resource: v.resource?.trim() || undefined,
      from: v.range?.[0]?.valueOf() ?? undefined, to: v.range?.[1]?.valueOf() ?? undefined,
    })

  return (
    <Card title={t('title')} extra={<Button onClick={paged.reload}>{t('refresh')}</Button>}>
      <Form name="auditFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={apply}>
        <Form.Item name="actor" label={t('actor')}>
          <Input allowClear placeholder={t('actorPlaceholder')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="action" label={t('action')}>
          <Select allowClear placeholder={t('anyAction')} style={{ width: 190 }} options={ACTIONS.map((a) => ({ value: a, label: a }))} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="resource" label={t('resource')}>
          <Input allowClear placeholder={t('resourcePlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="range" label={t('range')}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">{t('search')}</Button>
        </Form.Item>
      </Form>
      <Table<AuditRow>
        rowKey="id"
        dataSource={paged.rows}
        loading={paged.loading}
        pagination={paged.pagination}
        size="small"
        expandable={{ expandedRowRender: (r) => <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre> }}
        columns={[
          { title: t('at'), dataIndex: 'at', width: 180, render: (v: number) => new Date(v).toLocaleString() },
          { title: t('actor'), dataIndex: 'actor', width: 120, render: (v: string) => v || <Typography.Text type="secondary">{t('anonymous')}</Typography.Text> },
          { title: t('ip'), dataIndex: 'ip', width: 130 },
          { title: t('action'), dataIndex: 'action', width: 170, render: (v: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text> },
          { title: t('resource'), dataIndex: 'resource', ellipsis: true },
          {
            title: t('detail'),
            dataIndex: 'detail',
            ellipsis: true,
            render: (d: Record<string, string>) => Object.entries(d ?? {}).filter(([k]) => k !== 'content').map(([k, v]) => `${k}=${v}`).join(', '),
          },
        ]}
      />
    </Card>
  )
}
