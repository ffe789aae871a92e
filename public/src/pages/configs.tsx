import { DownOutlined, DeleteOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined, CopyOutlined, SearchOutlined } from '@ant-design/icons'
import { App, Button, Dropdown, Input, Popconfirm, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useNavigate } from 'react-router'
import { api, download } from '../api'
import { useT } from '../i18n'
import { useNamespace } from '../namespace'
import { errorText } from '../ui/errors'
import { CloneModal, ImportModal } from './configs/transfer'
import { configQuery, type ConfigRow, type NacosPage } from './configs/types'

const messages = {
  en: {
    title: 'Configurations', dataId: 'Data ID', group: 'Group', app: 'Application', tags: 'Tags', fuzzy: 'Fuzzy', exact: 'Exact', search: 'Search',
    create: 'Create', import: 'Import', export: 'Export', exportSelected: 'Export selected', clone: 'Clone', deleteSelected: 'Delete selected', actions: 'Actions',
    edit: 'Edit', history: 'History', listeners: 'Listeners', delete: 'Delete', confirmDelete: 'Delete {name}?', confirmBatch: 'Delete {n} config(s)?',
    more: 'More', deleted: 'Deleted', total: '{total} in all', modified: 'Modified', type: 'Format', refresh: 'Refresh',
  },
  zh: {
    title: '配置列表', dataId: 'Data ID', group: 'Group', app: '归属应用', tags: '标签', fuzzy: '模糊', exact: '精确', search: '查询',
    create: '创建配置', import: '导入', export: '导出', exportSelected: '导出选中', clone: '克隆', deleteSelected: '删除选中', actions: '操作',
    edit: '编辑', history: '历史版本', listeners: '监听查询', delete: '删除', confirmDelete: '确定删除 {name}？', confirmBatch: '确定删除 {n} 个配置？',
    more: '更多', deleted: '已删除', total: '共 {total} 条', modified: '修改时间', type: '格式', refresh: '刷新',
  },
}

interface Filters {
  dataId: string
  group: string
  appName: string
  tags: string
  mode: 'blur' | 'accurate'
}

const emptyFilters: Filters = { dataId: '', group: '', appName: '', tags: '', mode: 'blur' }

/** In fuzzy mode a plain word matches anywhere (Nacos's console wraps it in `*`). */
function pattern(v: string, mode: Filters['mode']): string | undefined {
  const s = v.trim()
  if (!s) return undefined
  return mode === 'blur' && !s.includes('*') ? `*${s}*` : s
}

/** The config list of the current namespace: search, paging on the server, batch actions, import/export/clone. */
export default function ConfigsPage() {
  const t = useT(messages)
  const { namespace } = useNamespace()
  const { message, modal } = App.useApp()
  const navigate = useNavigate()
  const [draft, setDraft] = useState<Filters>(emptyFilters)
  const [filters, setFilters] = useState<Filters>(emptyFilters)
  const [page, setPage] = useState({ no: 1, size: 20 })
  const [data, setData] = useState<NacosPage<ConfigRow>>({ totalCount: 0, pageNumber: 1, pagesAvailable: 0, pageItems: [] })
  const [loading, setLoading] = useState(false)
  const [selected, setSelected] = useState<ConfigRow[]>([])
  const [importOpen, setImportOpen] = useState(false)
  const [cloning, setCloning] = useState<ConfigRow[] | null>(null)
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((x) => x + 1), [])

  useEffect(() => {
    let live = true
    setLoading(true)
    api
      .get<NacosPage<ConfigRow>>('v1/cs/configs', {
        search: filters.mode, tenant: namespace, dataId: pattern(filters.dataId, filters.mode) ?? '', group: pattern(filters.group, filters.mode) ?? '',
        appName: pattern(filters.appName, filters.mode), config_tags: filters.tags.trim() || undefined, pageNo: page.no, pageSize: page.size,
      })
      .then((r) => live && setData(r))
      .catch((e) => live && message.error(errorText(e)))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [namespace, filters, page, tick, message])
  useEffect(() => {
    setSelected([])
    setPage((p) => (p.no === 1 ? p : { ...p, no: 1 }))
  }, [namespace, filters])

  const remove = async (rows: ConfigRow[]) => {
    try {
      if (rows.length === 1) await api.del('v1/cs/configs', { dataId: rows[0].dataId, group: rows[0].group, tenant: namespace })
      else await api.del('v1/cs/configs', { delType: 'ids', ids: rows.map((r) => r.id).join(','), tenant: namespace })
      message.success(t('deleted'))
      setSelected([])
      reload()
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const exportZip = async (rows?: ConfigRow[]) => {
    try {
      const query = rows?.length
        ? { exportV2: true, tenant: namespace, ids: rows.map((r) => r.id).join(',') }
        : { exportV2: true, tenant: namespace, dataId: pattern(filters.dataId, filters.mode), group: pattern(filters.group, filters.mode), appName: pattern(filters.appName, filters.mode) }
      await download('v1/cs/configs', query, 'nacos_config_export.zip')
    } catch (e) {
      message.error(errorText(e))
    }
  }
  const open = (what: string, r: ConfigRow) => navigate(`/configs${what}?${configQuery(r, namespace)}`)
  const field = (key: keyof Omit<Filters, 'mode'>, placeholder: string, width = 180) => (
    <Input id={`config-search-${key}`} allowClear placeholder={placeholder} style={{ width }} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} onPressEnter={() => setFilters(draft)} />
  )

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        {field('dataId', t('dataId'))}
        {field('group', t('group'))}
        {field('appName', t('app'), 150)}
        {field('tags', t('tags'), 150)}
        <Segmented id="config-search-mode" value={draft.mode} onChange={(v) => setDraft({ ...draft, mode: v as Filters['mode'] })} options={[{ label: t('fuzzy'), value: 'blur' }, { label: t('exact'), value: 'accurate' }]} />
        <Button id="config-search" type="primary" icon={<SearchOutlined />} onClick={() => setFilters({ ...draft })}>{t('search')}</Button>
        <Tooltip title={t('refresh')}><Button icon={<ReloadOutlined />} onClick={reload} /></Tooltip>
      </Space>
      <Space wrap style={{ marginBottom: 12, display: 'flex' }}>
        <Button id="config-create" type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/configs/edit?${new URLSearchParams({ namespace })}`)}>{t('create')}</Button>
        <Button id="config-import" icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>{t('import')}</Button>
        <Button id="config-export" icon={<DownloadOutlined />} onClick={() => exportZip(selected.length ? selected : undefined)}>{selected.length ? t('exportSelected') : t('export')}</Button>
        <Button id="config-clone" icon={<CopyOutlined />} disabled={!selected.length} onClick={() => setCloning(selected)}>{t('clone')}</Button>
        <Popconfirm title={t('confirmBatch', { n: selected.length })} onConfirm={() => remove(selected)} disabled={!selected.length}>
          <Button id="config-delete-selected" danger icon={<DeleteOutlined />} disabled={!selected.length}>{t('deleteSelected')}</Button>
        </Popconfirm>
      </Space>
      <Table<ConfigRow>
        id="config-table"
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.pageItems}
        rowSelection={{ selectedRowKeys: selected.map((r) => r.id), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: false }}
        pagination={{ current: page.no, pageSize: page.size, total: data.totalCount, showSizeChanger: true, showQuickJumper: data.totalCount > page.size * 5, pageSizeOptions: [10, 20, 50, 100], showTotal: (n) => t('total', { total: n }), onChange: (no, size) => setPage({ no: size === page.size ? no : 1, size }) }}
        columns={[
          {
            title: t('dataId'), dataIndex: 'dataId', ellipsis: { showTitle: true },
            render: (v: string, r) => <Space size={6}><Typography.Link onClick={() => open('/edit', r)}>{v}</Typography.Link><Tag bordered={false}>{r.type || 'text'}</Tag></Space>,
          },
          { title: t('group'), dataIndex: 'group', width: 160, ellipsis: { showTitle: true } },
          { title: t('app'), dataIndex: 'appName', width: 130, ellipsis: { showTitle: true } },
          { title: t('tags'), dataIndex: 'configTags', width: 130, render: (v?: string) => (v ? v.split(',').map((x) => <Tag key={x} color="blue">{x}</Tag>) : null) },
          { title: t('modified'), dataIndex: 'modifyTime', width: 165, render: (v?: number) => (v ? new Date(v).toLocaleString() : '') },
          {
            title: t('actions'), key: 'actions', width: 190,
            render: (_, r) => (
              <Space size="small">
                <Typography.Link onClick={() => open('/edit', r)}>{t('edit')}</Typography.Link>
                <Typography.Link onClick={() => open('/history', r)}>{t('history')}</Typography.Link>
                <Dropdown
                  menu={{
                    items: [
                      { key: 'listeners', label: t('listeners') },
                      { key: 'clone', label: t('clone') },
                      { key: 'delete', label: t('delete'), danger: true },
                    ],
                    onClick: (e) => {
                      if (e.key === 'listeners') open('/listeners', r)
                      else if (e.key === 'clone') setCloning([r])
                      else modal.confirm({ title: t('confirmDelete', { name: r.dataId }), okButtonProps: { danger: true }, onOk: () => remove([r]) })
                    },
                  }}
                >
                  <Typography.Link>{t('more')} <DownOutlined /></Typography.Link>
                </Dropdown>
              </Space>
            ),
          },
        ]}
      />
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} onDone={reload} />
      <CloneModal rows={cloning} onClose={() => setCloning(null)} onDone={reload} />
    </div>
  )
}
