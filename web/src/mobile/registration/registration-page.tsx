// 码上报到 for a member with an account (H5): /m/register?community=<code> — the QR's page (/m/signup/<code>) sends a logged-in member here. They give home
// (小区 → 楼幢 → 单元), own party organisation and work unit, skills, wishes and free time; afterwards the page shows
// the registration's status (待审核 / 已通过 with branch and micro-grid / 未通过) and lets them withdraw.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  Button, CascadePicker, Dialog, ErrorBlock, Form, Input, List, NavBar, Result, SearchBar, Selector, Skeleton, Tag, Toast,
} from 'antd-mobile';
import { ApiError, errorMessage } from '../../api';
import { PERIOD_LABEL, WEEKDAY_LABEL } from '../../pages/forces/forces-api';
import {
  REGISTRATION_STATUS_LABEL, registrationApi, type Registration, type RegistrationForm,
} from '../../pages/registration/registration-api';
import { useUnitOrgs } from './use-unit-orgs';

interface Values {
  home?: string[];
  unitOrgCode?: string;
  workUnit?: string;
  mobile?: string;
  unitOrgName?: string;
  skills?: string[];
  wishes?: string[];
  days?: string[];
  periods?: string[];
}

/** 单位党组织: search by name or pinyin and pick one (the field's value is the org code); the chosen one shows as a tag. */
function OrgPicker({ value, onChange, orgName, setOrgName }: {
  value?: string; onChange?: (v: string | undefined) => void; orgName: string | null; setOrgName: (n: string | null) => void;
}) {
  const [query, setQuery] = useState('');
  const orgs = useUnitOrgs(query);
  if (value) {
    return (
      <Tag color="primary" onClick={() => { onChange?.(undefined); setOrgName(null); }} style={{ fontSize: 14, padding: '4px 8px' }}>
        {orgName ?? value} ✕
      </Tag>
    );
  }
  return (
    <div>
      <SearchBar placeholder="输入单位名称或拼音搜索" value={query} onChange={setQuery} data-testid="org-search" />
      {orgs.length > 0 && (
        <List style={{ '--font-size': '14px' } as React.CSSProperties}>
          {orgs.map((o) => (
            <List.Item key={o.code} onClick={() => { setOrgName(o.name); onChange?.(o.code); setQuery(''); }} clickable>
              {o.name}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}

function StatusCard({ reg, onWithdrawn }: { reg: Registration; onWithdrawn: () => void }) {
  const navigate = useNavigate();
  const status = REGISTRATION_STATUS_LABEL[reg.status];
  const withdraw = async () => {
    const ok = await Dialog.confirm({ content: reg.status === 'approved' ? '撤回后将退出该社区的力量名册，确定撤回？' : '确定撤回本次报到？' });
    if (!ok) return;
    try {
      await registrationApi.withdraw(reg.id);
      Toast.show({ content: '已撤回' });
      onWithdrawn();
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    }
  };
  return (
    <div data-testid="registration-status">
      <Result
        status={reg.status === 'approved' ? 'success' : reg.status === 'pending' ? 'waiting' : 'warning'}
        title={reg.status === 'approved' ? '报到成功' : reg.status === 'pending' ? '已提交，等待社区审核' : status?.text ?? reg.status}
        description={reg.status === 'rejected' ? `社区意见：${reg.reviewNote ?? '—'}` : `${reg.communityName} · ${reg.homeAddress ?? ''}`}
      />
      <List header="报到信息">
        <List.Item extra={<Tag color={reg.status === 'approved' ? 'success' : reg.status === 'pending' ? 'warning' : 'default'}>{status?.text}</Tag>}>状态</List.Item>
        <List.Item extra={reg.communityName}>报到社区</List.Item>
        <List.Item extra={reg.unitOrgName ?? '—'}>单位党组织</List.Item>
        <List.Item extra={reg.workUnit}>工作单位</List.Item>
        {reg.status === 'approved' && (
          <>
            <List.Item extra={reg.branchName ?? '—'}>编入支部</List.Item>
            <List.Item extra={reg.groupName ?? '—'}>党小组</List.Item>
            <List.Item extra={reg.microGridName ?? '—'}>微网格</List.Item>
          </>
        )}
      </List>
      <div style={{ padding: 16, display: 'grid', gap: 12 }}>
        {reg.status === 'approved' && (
          <Button block color="primary" onClick={() => navigate('/m/posts')} data-testid="to-posts">
            去认领服务岗位
          </Button>
        )}
        {(reg.status === 'pending' || reg.status === 'approved') && (
          <Button block fill="outline" onClick={withdraw}>
            撤回报到
          </Button>
        )}
      </div>
    </div>
  );
}

export function RegistrationPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const community = params.get('community');
  const [form] = Form.useForm<Values>();
  const [mine, setMine] = useState<Registration[] | null>(null);
  const [data, setData] = useState<RegistrationForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [orgName, setOrgName] = useState<string | null>(null);
  const orgCode = Form.useWatch('unitOrgCode', form);
  const [submitting, setSubmitting] = useState(false);
  const [fresh, setFresh] = useState(false);

  const loadMine = useCallback(() => {
    registrationApi.mine().then((r) => setMine(r.items)).catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(loadMine, [loadMine]);
  useEffect(() => {
    if (!community) return;
    registrationApi.form(community).then(setData).catch((e: unknown) => setError(errorMessage(e)));
  }, [community]);

  const options = useMemo(
    () =>
      (data?.compounds ?? []).map((c) => ({
        label: c.name,
        value: c.code,
        children: c.buildings.map((b) => ({ label: b.name, value: b.code, children: b.units.map((u) => ({ label: u.name, value: u.code })) })),
      })),
    [data],
  );

  const current = mine?.find((r) => r.status === 'pending' || r.status === 'approved') ?? (fresh ? mine?.[0] : undefined);

  const submit = async (values: Values) => {
    if (!community) return;
    const homeCode = values.home?.[values.home.length - 1];
    if (!homeCode) return; // the rules below already say so next to the field
    setSubmitting(true);
    try {
      await registrationApi.create({
        communityCode: community, homeCode, ...(values.unitOrgCode ? { unitOrgCode: values.unitOrgCode } : { unitOrgName: values.unitOrgName!.trim() }),
        workUnit: (values.workUnit ?? '').trim(), ...(values.mobile ? { mobile: values.mobile.trim() } : {}),
        skills: values.skills ?? [], wishes: values.wishes ?? [],
        availability: { days: (values.days ?? []).map(Number), periods: values.periods ?? [] },
      });
      Toast.show({ icon: 'success', content: '已提交' });
      setFresh(true);
      loadMine();
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const name = e.field === 'homeCode' ? 'home' : e.field === 'unitOrgName' ? 'unitOrgCode' : e.field;
        if (['home', 'unitOrgCode', 'workUnit', 'mobile', 'skills', 'wishes'].includes(name)) form.setFields([{ name: name as keyof Values, errors: [e.message] }]);
      }
      Toast.show({ content: errorMessage(e) });
    } finally {
      setSubmitting(false);
    }
  };

  const nav = (
    <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>
      码上报到
    </NavBar>
  );
  if (error) return (<div className="linli-m-page">{nav}<ErrorBlock status="default" title="无法打开报到页" description={error} /></div>);
  if (mine === null) return (<div className="linli-m-page">{nav}<Skeleton.Paragraph lineCount={8} animated /></div>);
  if (current) return (<div className="linli-m-page">{nav}<StatusCard reg={current} onWithdrawn={() => { setFresh(false); loadMine(); }} /></div>);
  if (!community) {
    return (
      <div className="linli-m-page">
        {nav}
        <ErrorBlock status="empty" title="请扫描居住社区的报到二维码" description="社区报到二维码张贴在社区党群服务中心和小区公告栏。" />
      </div>
    );
  }
  if (!data) return (<div className="linli-m-page">{nav}<Skeleton.Paragraph lineCount={8} animated /></div>);

  return (
    <div className="linli-m-page" data-testid="registration-form">
      {nav}
      <div className="linli-m-hello" style={{ paddingTop: 10 }}>
        {data.community.streetName} · <b style={{ color: '#fff' }}>{data.community.name}</b>　在职党员到居住社区报到
      </div>
      <Form
        form={form}
        layout="horizontal"
        onFinish={submit}
        onFinishFailed={() => {
          Toast.show({ content: '请按提示补全必填项' });
          // bring the first field with an error into view (the button sits at the bottom of a long form)
          window.setTimeout(() => document.querySelector('[data-testid="registration-form"] .adm-form-item-feedback-error')
            ?.closest('.adm-list-item')?.scrollIntoView({ block: 'center' }), 50);
        }}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="register-submit">
            提交报到
          </Button>
        }
      >
        <Form.Header>居住地址</Form.Header>
        <Form.Item
          name="home" label="小区/楼幢/单元" required trigger="onConfirm" arrowIcon data-testid="home-item"
          rules={[{ validator: (_, v?: string[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error('请选择居住地址（小区、楼幢、单元）'))) }]}
          onClick={(_, ref) => (ref.current as { open?: () => void } | null)?.open?.()}
        >
          <CascadePicker title="选择住址" options={options}>
            {(items) => {
              const text = items.filter(Boolean).map((i) => i!.label).join(' ');
              return <span data-testid="home-picker" style={{ color: text ? undefined : '#ccc' }}>{text || '请选择'}</span>;
            }}
          </CascadePicker>
        </Form.Item>
        <Form.Header>单位与联系方式</Form.Header>
        <Form.Item
          name="unitOrgCode" label="单位党组织" required dependencies={['unitOrgName']} data-testid="org-item"
          rules={[{ validator: (_, v?: string) => (v || form.getFieldValue('unitOrgName')?.trim()
            ? Promise.resolve() : Promise.reject(new Error('请选择所在单位党组织，找不到时在下方填写名称'))) }]}
        >
          <OrgPicker orgName={orgName} setOrgName={setOrgName} />
        </Form.Item>
        {!orgCode && (
          <Form.Item name="unitOrgName" label="或填写名称" help="找不到时填写单位党组织全称"
            rules={[{ validator: (_, v?: string) => (!v || v.trim().length >= 2 ? Promise.resolve() : Promise.reject(new Error('单位党组织名称至少 2 个字'))) }]}>
            <Input placeholder="如：某某公司党支部" clearable onChange={() => void form.validateFields(['unitOrgCode']).catch(() => undefined)} />
          </Form.Item>
        )}
        <Form.Item name="workUnit" label="工作单位" rules={[{ required: true, whitespace: true, message: '请填写工作单位' }, { min: 2, message: '工作单位至少 2 个字' }]}>
          <Input placeholder="工作单位全称" clearable />
        </Form.Item>
        <Form.Item name="mobile" label="手机号" rules={[{ pattern: /^1[3-9]\d{9}$/, message: '手机号格式不正确' }]}>
          <Input type="tel" placeholder="选填，便于社区联系" clearable />
        </Form.Item>
        <Form.Header>特长与服务意向</Form.Header>
        <Form.Item name="skills" label="技能特长" layout="vertical">
          <Selector multiple columns={3} options={data.skills.map((s) => ({ label: s.name, value: s.code }))} />
        </Form.Item>
        <Form.Item name="wishes" label="意向岗位" layout="vertical">
          <Selector multiple columns={2} options={data.postKinds.map((k) => ({ label: k.name, value: k.code }))} />
        </Form.Item>
        <Form.Item name="days" label="可服务日" layout="vertical">
          <Selector multiple columns={4} options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ label: WEEKDAY_LABEL[d]!, value: String(d) }))} />
        </Form.Item>
        <Form.Item name="periods" label="时段" layout="vertical">
          <Selector multiple columns={3} options={Object.entries(PERIOD_LABEL).map(([value, label]) => ({ label, value }))} />
        </Form.Item>
      </Form>
    </div>
  );
}

export default RegistrationPage;
