// 码上报到 for people without an account (H5, public): the page a community's QR code opens — /m/signup/<code>.
// A new in-service party member gives name, mobile (their login), ID number, a password, their unit's party
// organisation (picked from the list, or typed) and their home address; that creates their account and a
// registration waiting for the community. A logged-in member is sent to the registration form of their account;
// anyone else logged in (a resident) is told what the page is for and offered their own home.
import '../setup';
import '../mobile.css';
import { useEffect, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import {
  Button, ConfigProvider, ErrorBlock, Form, Input, List, NavBar, Picker, Popup, Result, SearchBar, Skeleton, Steps, Toast,
} from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { api, ApiError, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { homeOf, isPhone } from '../../home';
import { useUnitOrgs } from './use-unit-orgs';

interface SignupInfo {
  community: { code: string; name: string; streetName: string | null };
  compounds: { code: string; name: string }[];
}

/** The unit's party organisation: one picked from the list (code) or a name typed when it is not there. */
interface UnitChoice { code?: string; name: string }

interface Values {
  name?: string;
  mobile?: string;
  idNumber?: string;
  password?: string;
  unit?: UnitChoice;
  compound?: string[];
  rooms?: string;
}

const FIELDS: (keyof Values)[] = ['name', 'mobile', 'idNumber', 'password', 'unit', 'compound', 'rooms'];
/** The server's field → the form's. */
const FIELD_OF: Record<string, keyof Values> = { unitOrgCode: 'unit', unitName: 'unit', address: 'rooms' };

/** 单位党组织: tap to open a searchable list; "找不到" keeps what was typed as the name. */
function UnitPicker({ value, onChange }: { value?: UnitChoice; onChange?: (v: UnitChoice) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const orgs = useUnitOrgs(query);
  const choose = (v: UnitChoice) => {
    onChange?.(v);
    setOpen(false);
  };
  const typed = query.trim();
  return (
    <>
      <span onClick={() => setOpen(true)} data-testid="unit-picker" style={{ color: value ? undefined : '#ccc' }}>
        {value ? `${value.name}${value.code ? '' : '（填写）'}` : '搜索选择'}
      </span>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ height: '70vh', overflowY: 'auto' }} destroyOnClose>
        <div style={{ padding: 12 }}>
          <SearchBar placeholder="单位名称或拼音首字母，如 西陵实验" value={query} onChange={setQuery} autoFocus data-testid="unit-search" />
        </div>
        <List>
          {orgs.map((o) => (
            <List.Item key={o.code} clickable onClick={() => choose({ code: o.code, name: o.name })}>{o.name}</List.Item>
          ))}
          {typed.length >= 2 && (
            <List.Item clickable onClick={() => choose({ name: typed })} data-testid="unit-typed"
              description="列表中没有您的单位党组织时，按填写的名称提交，由社区核实">
              找不到，直接使用“{typed}”
            </List.Item>
          )}
          {!typed && <List.Item disabled>输入单位名称开始搜索</List.Item>}
        </List>
      </Popup>
    </>
  );
}

function Shell({ title = '码上报到', children }: { title?: string; children: React.ReactNode }) {
  return (
    <ConfigProvider locale={zhCN}>
      <div className="linli-m" data-testid="h5">
        <div className="linli-m-page">
          <NavBar className="linli-m-navbar" backIcon={false}>{title}</NavBar>
          {children}
        </div>
      </div>
    </ConfigProvider>
  );
}

/** After submitting: what happens next, and how to log in. */
function Submitted({ community, mobile }: { community: string; mobile: string }) {
  return (
    <div data-testid="signup-done">
      <Result status="waiting" title="已提交，等待社区审核" description={`${community}将核对您的报到信息`} />
      <Steps direction="vertical" current={0} style={{ background: '#fff', padding: '8px 16px' }}>
        <Steps.Step title="社区审核" description="社区工作人员核对身份和住址；审核结果会发到您的消息" status="process" />
        <Steps.Step title="编入社区" description="通过后编入社区功能型党支部、党小组和微网格" />
        <Steps.Step title="认领岗位" description={`用手机号 ${mobile.slice(0, 3)}****${mobile.slice(-4)} 和您设置的密码登录，认领服务岗位`} />
      </Steps>
      <div style={{ padding: 16 }}>
        <Link to={`/login?next=${encodeURIComponent('/m/register')}`}>
          <Button block color="primary" size="large" data-testid="signup-login">登录查看审核进度</Button>
        </Link>
      </div>
    </div>
  );
}

function SignupForm({ info }: { info: SignupInfo }) {
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const single = info.compounds.length === 1 ? info.compounds[0]!.code : undefined;

  const submit = async (values: Values) => {
    const compound = info.compounds.find((c) => c.code === (values.compound?.[0] ?? single));
    if (!compound || !values.unit) return; // the rules already say so next to the field
    setSubmitting(true);
    try {
      await api.post<{ registrationId: number; status: string }>(`/service/communities/${info.community.code}/signup`, {
        name: values.name!.trim(), mobile: values.mobile!.trim(), idNumber: values.idNumber!.trim().toUpperCase(), password: values.password!,
        ...(values.unit.code ? { unitOrgCode: values.unit.code } : { unitName: values.unit.name }),
        address: `${compound.name}${values.rooms!.trim()}`,
      }, { noAuthRedirect: true });
      setDone(values.mobile!.trim());
    } catch (e) {
      const field = e instanceof ApiError && e.field ? FIELD_OF[e.field] ?? (e.field as keyof Values) : undefined;
      if (field && FIELDS.includes(field)) {
        // the server's message reads "field: reason"; next to the field only the reason is shown
        form.setFields([{ name: field, errors: [errorMessage(e).replace(/^[A-Za-z]+: /, '')] }]);
      }
      Toast.show({ content: errorMessage(e).replace(/^[A-Za-z]+: /, ''), duration: 3000 });
    } finally {
      setSubmitting(false);
    }
  };

  if (done) return <Submitted community={info.community.name} mobile={done} />;
  return (
    <div data-testid="signup-form">
      <div className="linli-m-hello" style={{ paddingTop: 8 }}>
        {info.community.streetName ? `${info.community.streetName} · ` : ''}<b style={{ color: '#fff' }} data-testid="signup-community">{info.community.name}</b>
        <div>在职党员到居住社区报到：填写后由社区审核，通过后即可认领服务岗位</div>
      </div>
      <Form
        form={form}
        layout="horizontal"
        initialValues={single ? { compound: [single] } : {}}
        onFinish={submit}
        onFinishFailed={() => Toast.show({ content: '请按提示补全必填项' })}
        footer={(
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="signup-submit">提交报到</Button>
        )}
      >
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { min: 2, message: '姓名至少 2 个字' }]}>
          <Input placeholder="与身份证一致" clearable maxLength={30} />
        </Form.Item>
        <Form.Item name="mobile" label="手机号" rules={[{ required: true, message: '请填写手机号' }, { pattern: /^1[3-9]\d{9}$/, message: '手机号格式不正确' }]}>
          <Input type="tel" placeholder="即登录账号" clearable maxLength={11} />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号"
          rules={[{ required: true, message: '请填写身份证号' }, { pattern: /^\d{17}[\dXx]$/, message: '身份证号应为 18 位' }]}>
          <Input placeholder="18 位" clearable maxLength={18} />
        </Form.Item>
        <Form.Item name="password" label="设置密码" description="至少 8 位，含大写字母、小写字母、数字、符号中的三类"
          rules={[{ required: true, message: '请设置登录密码' }, { min: 8, message: '密码至少 8 位' }]}>
          <Input type="password" placeholder="登录时使用" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="unit" label="单位党组织" arrowIcon data-testid="unit-item"
          rules={[{ required: true, message: '请选择所在单位党组织，找不到时可直接填写名称' }]}>
          <UnitPicker />
        </Form.Item>
        {!single && (
          <Form.Item name="compound" label="小区" trigger="onConfirm" arrowIcon data-testid="compound-item"
            rules={[{ required: true, message: '请选择居住的小区' }]}
            onClick={(_, ref) => (ref.current as { open?: () => void } | null)?.open?.()}>
            <Picker columns={[info.compounds.map((c) => ({ label: c.name, value: c.code }))]} title="选择小区">
              {(items) => <span style={{ color: items[0] ? undefined : '#ccc' }}>{items[0]?.label ?? '请选择'}</span>}
            </Picker>
          </Form.Item>
        )}
        <Form.Item name="rooms" label="楼幢单元室" rules={[{ required: true, whitespace: true, message: '请填写楼幢、单元和室号' }]}>
          <Input placeholder="如 3幢2单元501室 或 3-2-501" clearable maxLength={40} />
        </Form.Item>
      </Form>
      <div className="linli-m-muted" style={{ padding: '0 16px', lineHeight: 1.7 }} data-testid="signup-note">
        不是党员？本页供在职党员报到，居民请向社区申请账号后点单、随手拍。已有账号请
        <Link to={`/login?next=${encodeURIComponent(`/m/register?community=${info.community.code}`)}`}>直接登录</Link>。
      </div>
    </div>
  );
}

/** Logged in already: a member registers from their account; anyone else learns what the page is for. */
function SignedIn({ code, info }: { code: string; info: SignupInfo | null }) {
  const { user, can } = useAuth();
  if (can('service:claim')) return <Navigate to={`/m/register?community=${encodeURIComponent(code)}`} replace />;
  const home = user ? homeOf(user, isPhone()) : '/m';
  return (
    <div data-testid="signup-not-member">
      <Result status="info" title="这是在职党员报到页"
        description={`${info?.community.name ?? '社区'}的报到二维码供在职党员到居住社区报到、认领服务岗位。您已用${user?.displayName ?? ''}的账号登录，无需报到。`} />
      <div style={{ padding: 16 }}>
        <Link to={home}><Button block color="primary" size="large" data-testid="signup-home">回到我的首页</Button></Link>
      </div>
    </div>
  );
}

export default function SignupPage() {
  const { communityCode = '' } = useParams();
  const { user, loading } = useAuth();
  const [info, setInfo] = useState<SignupInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<SignupInfo>(`/service/communities/${encodeURIComponent(communityCode)}/signup`, undefined, { noAuthRedirect: true })
      .then(setInfo).catch((e: unknown) => setError(e instanceof ApiError && e.status === 404 ? '二维码中的社区不存在，请扫描社区张贴的报到二维码' : errorMessage(e)));
  }, [communityCode]);
  if (loading) return <Shell><Skeleton.Paragraph lineCount={8} animated /></Shell>;
  if (user) return <Shell><SignedIn code={communityCode} info={info} /></Shell>;
  if (error) return <Shell><ErrorBlock status="default" title="无法打开报到页" description={error} /></Shell>;
  if (!info) return <Shell><Skeleton.Paragraph lineCount={8} animated /></Shell>;
  return <Shell><SignupForm info={info} /></Shell>;
}
