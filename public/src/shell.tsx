import { AppstoreOutlined, AuditOutlined, ClusterOutlined, DownOutlined, FileTextOutlined, KeyOutlined, LogoutOutlined, SafetyOutlined, TeamOutlined, UserOutlined, ApartmentOutlined, CloudServerOutlined } from '@ant-design/icons'
import { App, Button, Dropdown, Form, Input, Layout, Menu, Modal, Segmented, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router'
import { api } from './api'
import { useLang, useT } from './i18n'
import { useNamespace } from './namespace'
import { useSession, useSessionState } from './session'
import { errorText } from './ui/errors'

const messages = {
  en: {
    configs: 'Configurations', configList: 'Configs', namespaces: 'Namespaces', services: 'Services', serviceList: 'Service list',
    subscribers: 'Subscribers', cluster: 'Cluster', auth: 'Access control', users: 'Users', roles: 'Roles', permissions: 'Permissions',
    audit: 'Audit log', namespace: 'Namespace', changePassword: 'Change password', logout: 'Log out', newPassword: 'New password',
    confirmPassword: 'Repeat new password', mismatch: 'The two passwords differ', required: 'Required', passwordChanged: 'Password changed',
  },
  zh: {
    configs: '配置管理', configList: '配置列表', namespaces: '命名空间', services: '服务管理', serviceList: '服务列表',
    subscribers: '订阅者列表', cluster: '集群管理', auth: '权限控制', users: '用户列表', roles: '角色管理', permissions: '权限管理',
    audit: '审计日志', namespace: '命名空间', changePassword: '修改密码', logout: '退出登录', newPassword: '新密码',
    confirmPassword: '再次输入新密码', mismatch: '两次输入的密码不一致', required: '必填', passwordChanged: '密码已修改',
  },
}

/** Changing one's own password: PUT /v1/auth/users (username, newPassword). */
function PasswordModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const t = useT(messages)
  const { username } = useSession()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ newPassword: string; confirm: string }>()
  const [busy, setBusy] = useState(false)
  const ok = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      await api.put('v1/auth/users', { username, newPassword: v.newPassword })
      message.success(t('passwordChanged'))
      form.resetFields()
      onClose()
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal open={open} title={t('changePassword')} onOk={ok} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="newPassword" label={t('newPassword')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password id="new-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('confirmPassword')}
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('required') }, ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('mismatch')))) })]}
        >
          <Input.Password id="confirm-password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** The signed-in frame: side menu, header with namespace selector, language switch and user menu. */
export function Shell() {
  const t = useT(messages)
  const [lang, setLang] = useLang()
  const { user } = useSessionState()
  const { username, logout } = useSession()
  const { namespace, namespaces, setNamespace } = useNamespace()
  const navigate = useNavigate()
  const location = useLocation()
  const [pwOpen, setPwOpen] = useState(false)
  if (!user) return <Navigate to="/login" replace />
  const path = location.pathname.replace(/^\//, '')
  const selected = path.startsWith('configs') ? 'configs' : path === 'services/subscribers' ? 'services/subscribers' : path.startsWith('services') ? 'services' : path
  const items = [
    { key: 'g-configs', icon: <FileTextOutlined />, label: t('configs'), children: [{ key: 'configs', label: t('configList') }] },
    { key: 'g-services', icon: <CloudServerOutlined />, label: t('services'), children: [{ key: 'services', label: t('serviceList') }, { key: 'services/subscribers', label: t('subscribers') }] },
    { key: 'namespaces', icon: <AppstoreOutlined />, label: t('namespaces') },
    { key: 'cluster', icon: <ClusterOutlined />, label: t('cluster') },
    {
      key: 'g-auth', icon: <SafetyOutlined />, label: t('auth'),
      children: [{ key: 'users', icon: <UserOutlined />, label: t('users') }, { key: 'roles', icon: <TeamOutlined />, label: t('roles') }, { key: 'permissions', icon: <KeyOutlined />, label: t('permissions') }],
    },
    { key: 'audit', icon: <AuditOutlined />, label: t('audit') },
  ]
  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Sider width={208} theme="dark" breakpoint="lg" collapsible>
        <div style={{ height: 56, display: 'flex', alignItems: 'center', gap: 8, padding: '0 20px', color: '#fff', fontWeight: 600, fontSize: 18, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          <ApartmentOutlined /> bnacos
        </div>
        <Menu
          id="side-menu"
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          defaultOpenKeys={['g-configs', 'g-services', 'g-auth']}
          items={items}
          onClick={(e) => navigate(`/${e.key}`)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0', height: 56 }}>
          <Space>
            <Typography.Text type="secondary">{t('namespace')}</Typography.Text>
            <Select
              id="namespace-select"
              style={{ minWidth: 200 }}
              value={namespace}
              onChange={setNamespace}
              options={namespaces.map((n) => ({ value: n.id, label: n.id ? `${n.name} (${n.id})` : n.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Space>
          <Space size="middle">
            <Segmented id="lang-switch" size="small" value={lang} onChange={(v) => setLang(v as 'en' | 'zh')} options={[{ label: 'EN', value: 'en' }, { label: '中文', value: 'zh' }]} />
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('changePassword') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('logout') },
                ],
                onClick: (e) => (e.key === 'logout' ? logout() : setPwOpen(true)),
              }}
            >
              <Button id="user-menu" type="text" icon={<UserOutlined />}>
                {username} <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16, padding: 20, background: '#fff', borderRadius: 8, minHeight: 280, overflow: 'auto' }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <PasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
    </Layout>
  )
}
