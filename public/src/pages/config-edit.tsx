import { ArrowLeftOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Col, Form, Input, Modal, Radio, Row, Space, Spin, Typography } from 'antd'
import type { EditorView } from '@uiw/react-codemirror'
import { useEffect, useRef, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { api } from '../api'
import { useT } from '../i18n'
import { useSession } from '../session'
import { CodeEditor } from '../ui/code-editor'
import { DiffView } from '../ui/diff-view'
import { errorText } from '../ui/errors'
import { configTypes, validateContent, type ContentProblem } from '../ui/validate'
import { BetaPanel } from './configs/beta'
import type { ConfigRow } from './configs/types'

const messages = {
  en: {
    create: 'Create config', edit: 'Edit config', dataId: 'Data ID', group: 'Group', desc: 'Description', app: 'Application', tags: 'Tags',
    tagsHelp: 'Comma-separated', type: 'Format', content: 'Content', publish: 'Publish', back: 'Back', required: 'Required', published: 'Published',
    invalid: 'Not valid {type}: line {line}, column {column}: {message}', compare: 'Compare with published', compareTitle: 'Published (left) vs your edit (right)', close: 'Close', fixFirst: 'Fix the content before publishing', namespace: 'Namespace: {ns}',
  },
  zh: {
    create: '新建配置', edit: '编辑配置', dataId: 'Data ID', group: 'Group', desc: '描述', app: '归属应用', tags: '标签',
    tagsHelp: '用逗号分隔', type: '配置格式', content: '配置内容', publish: '发布', back: '返回', required: '必填', published: '发布成功',
    invalid: '不是合法的 {type}：第 {line} 行第 {column} 列：{message}', compare: '与已发布版本比较', compareTitle: '已发布版本（左）与当前编辑（右）', close: '关闭', fixFirst: '请先修正配置内容再发布', namespace: '命名空间：{ns}',
  },
}

interface Fields {
  dataId: string
  group: string
  desc?: string
  appName?: string
  configTags?: string
  type: string
}

/** Create or edit one config: metadata, a CodeMirror editor per format, validation before publishing, beta publish. */
export default function ConfigEditPage() {
  const t = useT(messages)
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { message } = App.useApp()
  const { username } = useSession()
  const namespace = params.get('namespace') ?? ''
  const existing = params.get('dataId') ? { dataId: params.get('dataId')!, group: params.get('group') || 'DEFAULT_GROUP' } : null
  const [form] = Form.useForm<Fields>()
  const type = Form.useWatch('type', form) ?? 'text'
  const [content, setContent] = useState('')
  // The editor reports each change through React state, which renders a moment later: a click on Publish right
  // after typing would run the previous render's closure and check or publish the old text. Publishing reads the
  // editor itself, so what is checked and sent is exactly what the user sees.
  const editor = useRef<EditorView | null>(null)
  const [published, setPublished] = useState('')
  const [comparing, setComparing] = useState(false)
  const [loading, setLoading] = useState(!!existing)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<ContentProblem | null>(null)

  useEffect(() => {
    if (!existing) return
    api
      .get<ConfigRow>('v1/cs/configs', { show: 'all', dataId: existing.dataId, group: existing.group, tenant: namespace })
      .then((c) => {
        form.setFieldsValue({ dataId: c.dataId, group: c.group, desc: c.desc ?? '', appName: c.appName ?? '', configTags: c.configTags ?? '', type: c.type || 'text' })
        setContent(c.content)
        setPublished(c.content)
      })
      .catch((e) => message.error(errorText(e)))
      .finally(() => setLoading(false))
  }, [existing?.dataId, existing?.group, namespace])
  useEffect(() => setProblem(null), [content, type])

  /** Validates the form and the editor's current content; returns both when they are fine. */
  const check = async (): Promise<(Fields & { content: string }) | null> => {
    const v = await form.validateFields()
    const text = editor.current?.state.doc.toString() ?? content
    const p = validateContent(v.type, text)
    setProblem(p)
    if (p) {
      message.error(t('fixFirst'))
      return null
    }
    return { ...v, content: text }
  }
  const publish = async () => {
    const v = await check()
    if (!v) return
    setBusy(true)
    try {
      await api.post('v1/cs/configs', { dataId: v.dataId.trim(), group: v.group.trim(), tenant: namespace, content: v.content, type: v.type, desc: v.desc, appName: v.appName, config_tags: v.configTags, src_user: username })
      message.success(t('published'))
      navigate('/configs')
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Spin spinning={loading}>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/configs')}>{t('back')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }}>{existing ? t('edit') : t('create')}</Typography.Title>
        <Typography.Text type="secondary">{t('namespace', { ns: namespace || 'public' })}</Typography.Text>
      </Space>
      <Form form={form} layout="vertical" initialValues={{ group: existing?.group ?? 'DEFAULT_GROUP', dataId: existing?.dataId ?? '', type: 'text' }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="dataId" label={t('dataId')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <Input id="config-dataId" disabled={!!existing} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="group" label={t('group')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <Input id="config-group" disabled={!!existing} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="appName" label={t('app')}>
              <Input id="config-appName" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="configTags" label={t('tags')} tooltip={t('tagsHelp')}>
              <Input id="config-tags" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="desc" label={t('desc')}>
              <Input id="config-desc" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="type" label={t('type')}>
          <Radio.Group id="config-type" optionType="button" options={configTypes.map((x) => ({ label: x.toUpperCase(), value: x }))} />
        </Form.Item>
        <Form.Item label={t('content')} required>
          <CodeEditor value={content} onChange={setContent} onView={(v) => (editor.current = v)} type={type} />
        </Form.Item>
      </Form>
      {problem && (
        <Alert id="config-validation" type="error" showIcon style={{ marginBottom: 12 }} title={t('invalid', { type: type.toUpperCase(), line: problem.line, column: problem.column, message: problem.message })} />
      )}
      <Space>
        <Button id="config-publish" type="primary" loading={busy} onClick={publish}>{t('publish')}</Button>
        {existing && <Button id="config-compare" onClick={() => setComparing(true)}>{t('compare')}</Button>}
        <Button onClick={() => navigate('/configs')}>{t('back')}</Button>
      </Space>
      {existing && (
        <Card size="small" style={{ marginTop: 16 }}>
          <BetaPanel dataId={existing.dataId} group={existing.group} namespace={namespace} check={check} />
        </Card>
      )}
      <Modal open={comparing} width={1100} title={t('compareTitle')} onCancel={() => setComparing(false)} footer={<Button onClick={() => setComparing(false)}>{t('close')}</Button>} destroyOnHidden>
        <DiffView left={published} right={content} type={type} />
      </Modal>
    </Spin>
  )
}
