import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { App, Button, Card, Form, Input, Segmented, Typography } from 'antd'
import { useState } from 'react'
import { Navigate, useNavigate } from 'react-router'
import { api } from '../api'
import { useLang, useT } from '../i18n'
import { useSessionState } from '../session'
import { errorText } from '../ui/errors'

const messages = {
  en: { title: 'bnacos console', subtitle: 'Sign in to manage configs and services', username: 'Username', password: 'Password', login: 'Log in', required: 'Required' },
  zh: { title: 'bnacos 控制台', subtitle: '登录以管理配置与服务', username: '用户名', password: '密码', login: '登录', required: '必填' },
}

/** The login page: username + password against /v1/auth/login; the token is kept in localStorage. */
export default function LoginPage() {
  const t = useT(messages)
  const [lang, setLang] = useLang()
  const { user, signIn } = useSessionState()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const [busy, setBusy] = useState(false)
  if (user) return <Navigate to="/configs" replace />
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true)
    try {
      const r = await api.post<{ accessToken: string; globalAdmin?: boolean; username?: string }>('v1/auth/login', v)
      if (!r || typeof r !== 'object' || !r.accessToken) throw new Error(typeof r === 'string' ? r : 'login failed')
      signIn(r.accessToken, { username: r.username ?? v.username, isAdmin: !!r.globalAdmin })
      navigate('/configs', { replace: true })
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f5f5 100%)' }}>
      <Card style={{ width: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Segmented size="small" value={lang} onChange={(v) => setLang(v as 'en' | 'zh')} options={[{ label: 'EN', value: 'en' }, { label: '中文', value: 'zh' }]} />
        </div>
        <Typography.Title level={3} style={{ marginTop: 8 }}>{t('title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
            <Input id="login-username" prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password id="login-password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button id="login-submit" type="primary" htmlType="submit" block loading={busy}>
            {t('login')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
