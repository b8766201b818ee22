// /m/cases/report — 问题随手拍 (residents, members) and 巡查上报 (grid workers: channel patrol); with ?kind=wish the
// same form posts a wish to the 心愿墙 (channel wish, 微心愿/意见建议). Photos (optional, as the API allows: a report
// without one is still a report), the position from the phone (or a tap on the map), a category, a description —
// the required ones marked — → POST /cases → the service number, the grid it went to and the deadline to accept it;
// a nearby open report of the same kind is offered to follow instead.
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Dialog, ErrorBlock, Form, ImageUploader, Input, List, NavBar, Result, Selector, TextArea, Toast, type ImageUploadItem } from 'antd-mobile';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { beijingShort } from '../../time';
import { deadlineText } from './case-bits';
import { CategoryPicker, type PickedCategory } from './category-picker';
import { casesApi, uploadPhoto, type CaseCategory, type CreatedCase } from './cases-api';
import { PositionField, rememberPosition, type Position } from './position-field';
import { RequiredLabel } from '../required-label';
import './cases.css';

const WISH_CATEGORIES = [
  { label: '微心愿', value: '0601' },
  { label: '意见建议', value: '0602' },
];

export function CaseReportPage() {
  const navigate = useNavigate();
  const { user, can } = useAuth();
  const [params] = useSearchParams();
  const wish = params.get('kind') === 'wish';
  const patrol = !wish && Boolean(user?.gridWorker);
  const title = wish ? '许个心愿' : patrol ? '巡查上报' : '问题随手拍';
  const areaCode = can('territory:read') ? (user?.scope.codes[0] ?? null) : null;

  const [tree, setTree] = useState<CaseCategory[]>([]);
  const [treeError, setTreeError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [category, setCategory] = useState<PickedCategory | null>(null);
  const [wishCategory, setWishCategory] = useState('0601');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [position, setPosition] = useState<Position | null>(null);
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedCase | null>(null);

  useEffect(() => {
    if (wish) return;
    casesApi.categories().then((items) => setTree(items.filter((m) => m.code !== '06'))).catch((e) => setTreeError(errorMessage(e)));
  }, [wish]);

  const submit = async () => {
    const missing = !position ? '请确定问题位置：允许定位，或在地图上点选'
        : !wish && !category ? '请选择问题类别'
          : description.trim().length < 2 ? (wish ? '请写下您的心愿或建议（至少 2 个字）' : '请描述一下问题（至少 2 个字）') : null;
    if (missing) {
      Toast.show({ content: missing });
      return;
    }
    setBusy(true);
    try {
      const answer = await casesApi.create({
        categoryCode: wish ? wishCategory : category!.code,
        lng: position!.lng,
        lat: position!.lat,
        description: description.trim(),
        ...(photos.length ? { photos: photos.map((p) => String(p.key)) } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        channel: wish ? 'wish' : patrol ? 'patrol' : 'h5',
      });
      rememberPosition(position!);
      setCreated(answer);
      window.scrollTo(0, 0);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setCreated(null);
    setPhotos([]);
    setDescription('');
    setAddress('');
    setCategory(null);
  };

  if (created) return <CreatedView created={created} title={title} wish={wish} onAgain={again} />;

  return (
    <div className="linli-m-page" data-testid="h5-case-report">
      <NavBar className="linli-m-navbar" onBack={() => navigate(-1)}>{title}</NavBar>
      <div className="linli-m-hello">
        {wish ? '写下您对社区的心愿或建议，邻居可以为它 +1，社区会回复办理' : patrol ? '巡查发现的问题，拍照定位后上报，按位置自动派到网格' : '看到身边的问题，拍一拍、点一点，社区网格员会来处理'}
      </div>
      {treeError && <ErrorBlock status="default" title="类别加载失败" description={treeError} />}
      <Form layout="vertical" footer={
        <Button block color="primary" size="large" loading={busy} onClick={() => void submit()} data-testid="h5-case-submit">
          {wish ? '发布心愿' : '提交上报'}
        </Button>
      }>
        <Form.Item label="照片（选填）" description={wish ? undefined : '有照片处理更快，没有也可以提交'}>
          <ImageUploader value={photos} onChange={setPhotos} upload={uploadPhoto} maxCount={9} capture="environment" accept="image/*" data-testid="h5-case-photos" />
        </Form.Item>
        <Form.Item label={<RequiredLabel text={wish ? '地点' : '问题位置'} />}>
          <PositionField value={position} onChange={setPosition} areaCode={areaCode} />
          <Input placeholder="补充位置（选填），如：3幢北侧车棚" value={address} onChange={setAddress} maxLength={200} clearable style={{ marginTop: 8 }} data-testid="h5-case-address" />
        </Form.Item>
        {wish ? (
          <Form.Item label={<RequiredLabel text="类别" />}>
            <Selector columns={2} options={WISH_CATEGORIES} value={[wishCategory]} onChange={(v) => v[0] && setWishCategory(v[0])} />
          </Form.Item>
        ) : (
          <Form.Item label={<RequiredLabel text="问题类别" />} onClick={() => setPicking(true)} arrow data-testid="h5-case-category">
            {category ? <span>{category.majorName} / <b>{category.name}</b></span> : <span className="linli-m-muted">点此选择，可搜索</span>}
          </Form.Item>
        )}
        <Form.Item label={<RequiredLabel text={wish ? '心愿或建议' : '问题描述'} />}>
          <TextArea
            placeholder={wish ? '如：希望小区增设几张休息长椅' : '如：单元门口电动车乱停，堵住消防通道'}
            rows={4}
            maxLength={2000}
            showCount
            value={description}
            onChange={setDescription}
            data-testid="h5-case-description"
          />
        </Form.Item>
      </Form>
      <CategoryPicker tree={tree} visible={picking} onClose={() => setPicking(false)} onPick={setCategory} />
    </div>
  );
}

function CreatedView({ created, title, wish, onAgain }: { created: CreatedCase; title: string; wish: boolean; onAgain: () => void }) {
  const navigate = useNavigate();
  const c = created.case;
  const [busy, setBusy] = useState(false);
  const grid = [c.gridName, c.microGridName].filter(Boolean).join(' · ') || c.communityName || c.streetName;

  const followInstead = async (dupId: number, serviceNo: string) => {
    const ok = await Dialog.confirm({
      title: '改为关注已有案件？',
      content: `将撤回刚才的上报（${created.serviceNo}），改为关注 ${serviceNo}，它的办理进度会通知您。`,
    });
    if (!ok) return;
    setBusy(true);
    try {
      await casesApi.follow(dupId);
      await casesApi.act(created.id, { action: 'withdraw', note: `与 ${serviceNo} 重复，改为关注` });
      Toast.show({ icon: 'success', content: '已关注，办理进度会通知您' });
      navigate(`/m/cases/${dupId}`, { replace: true });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="linli-m-page" data-testid="h5-case-created">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>{title}</NavBar>
      <Result status="success" title={wish ? '心愿已发布' : '上报成功'} description={wish ? '社区会尽快回复办理' : '已按位置派到网格，处理进度会通知您'} />
      <List className="linli-m-list">
        <List.Item extra={<b data-testid="h5-case-created-no">{created.serviceNo}</b>}>服务单号</List.Item>
        <List.Item extra={<span data-testid="h5-case-created-grid">{grid}</span>}>所属网格</List.Item>
        <List.Item extra={created.handlerName}>承办</List.Item>
        <List.Item extra={<span data-testid="h5-case-created-deadline">{deadlineText(created.deadline)} 前</span>}>受理期限</List.Item>
      </List>
      {created.duplicates.length > 0 && (
        <Card className="linli-m-card" title="附近已有同类问题在办" data-testid="h5-case-duplicates">
          <div className="linli-m-muted" style={{ marginBottom: 8 }}>可能是同一个问题。关注它，办理进度同样会通知您，不必重复上报。</div>
          {created.duplicates.map((d) => (
            <div key={d.id} className="linli-m-dup">
              <div>
                <div>{d.serviceNo}</div>
                <div className="linli-m-muted">{d.distanceM < 1 ? '同一位置' : `相距约 ${Math.round(d.distanceM)} 米`} · {beijingShort(d.reportedAt)} 上报</div>
              </div>
              <Button size="small" color="primary" fill="outline" loading={busy} onClick={() => void followInstead(d.id, d.serviceNo)} data-testid="h5-case-follow-dup">
                改为关注
              </Button>
            </div>
          ))}
        </Card>
      )}
      <div style={{ padding: '16px 12px', display: 'grid', gap: 10 }}>
        <Button block color="primary" size="large" onClick={() => navigate(`/m/cases/${created.id}`, { replace: true })} data-testid="h5-case-open">查看办理进度</Button>
        <Button block size="large" onClick={onAgain}>{wish ? '再许一个' : '再拍一个'}</Button>
      </div>
    </div>
  );
}
