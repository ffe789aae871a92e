import { ArrowLeftOutlined } from '@ant-design/icons'
import { App, Button, Descriptions, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError, api } from '../api'
import { useT } from '../i18n'
import { useSession } from '../session'
import { CodeEditor } from '../ui/code-editor'
import { DiffView } from '../ui/diff-view'
import { errorText } from '../ui/errors'
import type { ConfigRow, NacosPage } from './configs/types'

const messages = {
  en: {
    title: 'History of {dataId} ({group})', back: 'Back', version: 'Version', op: 'Operation', user: 'Operator', ip: 'Source IP', time: 'Time',
    actions: 'Actions', view: 'View', compare: 'Compare with current', rollback: 'Roll back', I: 'Created', U: 'Updated', D: 'Deleted',
    confirmRollback: 'Publish version {id} as a new version?', rolledBack: 'Rolled back: version {id} is now current', diffTitle: 'Version {id} (left) vs current (right)',
    noCurrent: 'The config does not exist now (deleted): the right side is empty.', total: '{total} in all', detail: 'Version {id}', gray: 'Beta', close: 'Close',
    currentVersion: 'Current md5 {md5}',
  },
  zh: {
    title: '{dataId}（{group}）的历史版本', back: '返回', version: '版本', op: '操作类型', user: '操作人', ip: '来源 IP', time: '时间',
    actions: '操作', view: '详情', compare: '与当前版本比较', rollback: '回滚', I: '新增', U: '更新', D: '删除',
    confirmRollback: '将版本 {id} 作为新版本发布？', rolledBack: '已回滚：版本 {id} 成为当前内容', diffTitle: '版本 {id}（左）与当前版本（右）',
    noCurrent: '该配置当前不存在（已删除），右侧为空。', total: '共 {total} 条', detail: '版本 {id}', gray: 'Beta', close: '关闭',
    currentVersion: '当前 md5 {md5}',
  },
}

/** One history row as /v1/cs/history renders it (Nacos ConfigHistoryInfo). */
interface HistoryRow {
  id: string
  dataId: string
  group: string
  tenant: string
  appName: string
  md5: string
  content: string
  srcIp: string
  srcUser: string
  opType: string
  publishType: string
  grayName: string
  extInfo: string
  lastModifiedTime: string
}

function ext(h: HistoryRow): { type?: string; desc?: string; configTags?: string } {
  try {
    return JSON.parse(h.extInfo || '{}')
  } catch {
    return {}
  }
}

/**
 * The versions of one config, a side-by-side diff of any version against the current content, and rollback —
 * which publishes the old content as a new version (also recreating a deleted config), never deleting anything.
 */
export default function ConfigHistoryPage() {
  const t = useT(messages)
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { message } = App.useApp()
  const { username } = useSession()
  const key = { dataId: params.get('dataId') ?? '', group: params.get('group') ?? 'DEFAULT_GROUP', tenant: params.get('namespace') ?? '' }
  const [page, setPage] = useState({ no: 1, size: 20 })
  const [data, setData] = useState<NacosPage<HistoryRow>>({ totalCount: 0, pageNumber: 1, pagesAvailable: 0, pageItems: [] })
  const [current, setCurrent] = useState<ConfigRow | null>(null)
  const [loading, setLoading] = useState(false)
  const [diffOf, setDiffOf] = useState<HistoryRow | null>(null)
  const [viewing, setViewing] = useState<HistoryRow | null>(null)
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((x) => x + 1), [])

  useEffect(() => {
    setLoading(true)
    Promise.all([
      api.get<NacosPage<HistoryRow>>('v1/cs/history', { search: 'accurate', ...key, pageNo: page.no, pageSize: page.size }),
      api.get<ConfigRow>('v1/cs/configs', { show: 'all', ...key }).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null
        throw e
      }),
    ])
      .then(([h, c]) => {
        setData(h)
        setCurrent(c)
      })
      .catch((e) => message.error(errorText(e)))
      .finally(() => setLoading(false))
  }, [key.dataId, key.group, key.tenant, page, tick])

  const rollback = async (h: HistoryRow) => {
    try {
      const e = ext(h)
      await api.post('v1/cs/configs', {
        ...key, content: h.content, type: e.type ?? current?.type ?? 'text', desc: e.desc ?? current?.desc, config_tags: e.configTags ?? current?.configTags,
        appName: h.appName || current?.appName, src_user: username,
      })
      message.success(t('rolledBack', { id: h.id }))
      setPage((p) => ({ ...p, no: 1 }))
      reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const typeOf = (h: HistoryRow) => ext(h).type ?? current?.type ?? 'text'

  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/configs')}>{t('back')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('title', { dataId: key.dataId, group: key.group })}</Typography.Title>
        {current && <Typography.Text type="secondary">{t('currentVersion', { md5: current.md5 })}</Typography.Text>}
      </Space>
      <Table<HistoryRow>
        id="history-table"
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.pageItems}
        pagination={{ current: page.no, pageSize: page.size, total: data.totalCount, showTotal: (n) => t('total', { total: n }), onChange: (no, size) => setPage({ no, size }) }}
        columns={[
          { title: t('version'), dataIndex: 'id', width: 100 },
          { title: t('op'), dataIndex: 'opType', width: 140, render: (v: string, h) => <Space size={4}><Tag color={v === 'D' ? 'red' : v === 'I' ? 'green' : 'blue'}>{t((v.trim() || 'U') as 'I')}</Tag>{h.publishType === 'gray' && <Tag color="orange">{t('gray')}</Tag>}</Space> },
          { title: t('user'), dataIndex: 'srcUser' },
          { title: t('ip'), dataIndex: 'srcIp' },
          { title: 'MD5', dataIndex: 'md5', ellipsis: true },
          { title: t('time'), dataIndex: 'lastModifiedTime', width: 190, render: (v: string) => new Date(v).toLocaleString() },
          {
            title: t('actions'), key: 'a', width: 300,
            render: (_, h) => (
              <Space>
                <Typography.Link onClick={() => setViewing(h)}>{t('view')}</Typography.Link>
                <Typography.Link onClick={() => setDiffOf(h)}>{t('compare')}</Typography.Link>
                {h.publishType !== 'gray' && (
                  <Popconfirm title={t('confirmRollback', { id: h.id })} onConfirm={() => rollback(h)}>
                    <Typography.Link>{t('rollback')}</Typography.Link>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!diffOf} width={1100} title={diffOf ? t('diffTitle', { id: diffOf.id }) : ''} onCancel={() => setDiffOf(null)} footer={<Button onClick={() => setDiffOf(null)}>{t('close')}</Button>} destroyOnHidden>
        {diffOf && !current && <Typography.Paragraph type="warning">{t('noCurrent')}</Typography.Paragraph>}
        {diffOf && <DiffView left={diffOf.content} right={current?.content ?? ''} type={typeOf(diffOf)} />}
      </Modal>
      <Modal open={!!viewing} width={900} title={viewing ? t('detail', { id: viewing.id }) : ''} onCancel={() => setViewing(null)} footer={<Button onClick={() => setViewing(null)}>{t('close')}</Button>} destroyOnHidden>
        {viewing && (
          <>
            <Descriptions size="small" column={2} style={{ marginBottom: 12 }} items={[
              { key: 'op', label: t('op'), children: t((viewing.opType.trim() || 'U') as 'I') },
              { key: 'user', label: t('user'), children: viewing.srcUser },
              { key: 'time', label: t('time'), children: new Date(viewing.lastModifiedTime).toLocaleString() },
              { key: 'md5', label: 'MD5', children: viewing.md5 },
            ]} />
            <CodeEditor value={viewing.content} type={typeOf(viewing)} readOnly height="360px" />
          </>
        )}
      </Modal>
    </div>
  )
}
