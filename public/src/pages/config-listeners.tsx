import { ArrowLeftOutlined, SearchOutlined } from '@ant-design/icons'
import { App, Button, Input, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError, api } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { errorText } from '../ui/errors'
import type { ConfigRow } from './configs/types'

const messages = {
  en: {
    title: 'Listeners of a config', back: 'Back', dataId: 'Data ID', group: 'Group', query: 'Query', ip: 'Client IP', md5: 'MD5 the client holds',
    state: 'State', upToDate: 'up to date', stale: 'stale', none: 'No client listens to this config', current: 'Current md5: {md5}', missing: 'The config does not exist',
  },
  zh: {
    title: '配置的监听者', back: '返回', dataId: 'Data ID', group: 'Group', query: '查询', ip: '客户端 IP', md5: '客户端持有的 MD5',
    state: '状态', upToDate: '已同步', stale: '未同步', none: '没有客户端监听该配置', current: '当前 md5：{md5}', missing: '该配置不存在',
  },
}

/** Which clients listen to a config and which md5 each holds (GET /v1/cs/configs/listener). */
export default function ConfigListenersPage() {
  const t = useT(messages)
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const { message } = App.useApp()
  const { namespace: shellNs } = useNamespace()
  const namespace = params.get('namespace') ?? shellNs
  const [dataId, setDataId] = useState(params.get('dataId') ?? '')
  const [group, setGroup] = useState(params.get('group') ?? 'DEFAULT_GROUP')
  const [rows, setRows] = useState<{ ip: string; md5: string }[]>([])
  const [currentMd5, setCurrentMd5] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const query = useCallback(async (d: string, g: string) => {
    if (!d.trim()) return
    setLoading(true)
    try {
      const key = { dataId: d.trim(), group: g.trim() || 'DEFAULT_GROUP', tenant: namespace }
      const [l, c] = await Promise.all([
        api.get<{ lisentersGroupkeyStatus?: Record<string, string> }>('v1/cs/configs/listener', key),
        api.get<ConfigRow>('v1/cs/configs', { show: 'all', ...key }).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
      ])
      setRows(Object.entries(l.lisentersGroupkeyStatus ?? {}).map(([ip, md5]) => ({ ip, md5 })))
      setCurrentMd5(c?.md5 ?? '')
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setLoading(false)
    }
  }, [namespace, message])
  useEffect(() => {
    void query(params.get('dataId') ?? '', params.get('group') ?? 'DEFAULT_GROUP')
  }, [params, query])
  const submit = () => setParams({ dataId, group, namespace })
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/configs')}>{t('back')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('title')}</Typography.Title>
      </Space>
      <Space wrap style={{ marginBottom: 12, display: 'flex' }}>
        <Input id="listener-dataId" placeholder={t('dataId')} value={dataId} onChange={(e) => setDataId(e.target.value)} onPressEnter={submit} style={{ width: 240 }} />
        <Input id="listener-group" placeholder={t('group')} value={group} onChange={(e) => setGroup(e.target.value)} onPressEnter={submit} style={{ width: 200 }} />
        <Button type="primary" icon={<SearchOutlined />} onClick={submit}>{t('query')}</Button>
        {currentMd5 !== null && <Typography.Text type="secondary">{currentMd5 ? t('current', { md5: currentMd5 }) : t('missing')}</Typography.Text>}
      </Space>
      <Table
        id="listener-table"
        rowKey="ip"
        size="middle"
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: t('none') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('ip'), dataIndex: 'ip' },
          { title: t('md5'), dataIndex: 'md5' },
          { title: t('state'), key: 's', render: (_, r) => (r.md5 === currentMd5 ? <Tag color="green">{t('upToDate')}</Tag> : <Tag color="orange">{t('stale')}</Tag>) },
        ]}
      />
    </div>
  )
}
