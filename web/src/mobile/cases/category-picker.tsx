// 问题类别: a bottom sheet with the major categories on the left and their minor ones on the right, and a search
// box over both that also matches the category's keywords (电动车 → 非机动车乱停放、电动车违规充电).
import { useMemo, useState } from 'react';
import { List, Popup, SearchBar, SideBar } from 'antd-mobile';
import { SHEET_THEME } from './case-bits';
import type { CaseCategory } from './cases-api';

type Minor = { code: string; name: string; majorCode: string; majorName: string; keywords: string[] };

/** The minor categories a report can name, each with its major's name and its search keywords. */
function minorCategories(tree: CaseCategory[]): Minor[] {
  return tree.flatMap((major) => (major.children ?? []).map((minor) => ({
    code: minor.code, name: minor.name, majorCode: major.code, majorName: major.name, keywords: (minor as { keywords?: string[] }).keywords ?? [],
  })));
}

export interface PickedCategory { code: string; name: string; majorName: string }

export function CategoryPicker({ tree, visible, onClose, onPick }: {
  tree: CaseCategory[]; visible: boolean; onClose: () => void; onPick: (c: PickedCategory) => void;
}) {
  const [q, setQ] = useState('');
  const [major, setMajor] = useState<string | null>(null);
  const minors = useMemo(() => minorCategories(tree), [tree]);
  const activeMajor = major ?? tree[0]?.code ?? '';
  const needle = q.trim();
  const found = needle ? minors.filter((m) => [m.name, m.majorName, ...m.keywords].some((w) => w.includes(needle) || needle.includes(w))) : [];
  const pick = (m: Minor) => {
    onPick({ code: m.code, name: m.name, majorName: m.majorName });
    setQ('');
    onClose();
  };

  return (
    <Popup visible={visible} onMaskClick={onClose} onClose={onClose} bodyStyle={{ height: '70vh', borderTopLeftRadius: 12, borderTopRightRadius: 12, ...SHEET_THEME }}>
      <div className="linli-m-sheet" data-testid="h5-case-category-sheet">
        <div className="linli-m-sheet-title">选择问题类别</div>
        <div style={{ padding: '0 12px 8px' }}>
          <SearchBar placeholder="搜索，如：垃圾、电动车、路灯" value={q} onChange={setQ} data-testid="h5-case-category-search" />
        </div>
        {needle ? (
          <List className="linli-m-sheet-body">
            {found.map((m) => (
              <List.Item key={m.code} description={m.majorName} onClick={() => pick(m)} arrowIcon={false}>{m.name}</List.Item>
            ))}
            {!found.length && <List.Item><span className="linli-m-muted">没有匹配的类别，换个词试试，或清空后按大类挑选</span></List.Item>}
          </List>
        ) : (
          <div className="linli-m-sheet-body" style={{ display: 'flex' }}>
            <SideBar activeKey={activeMajor} onChange={setMajor} style={{ '--width': '110px' }}>
              {tree.map((m) => <SideBar.Item key={m.code} title={m.name} />)}
            </SideBar>
            <List style={{ flex: 1, '--border-top': 'none' }}>
              {minors.filter((m) => m.majorCode === activeMajor).map((m) => (
                <List.Item key={m.code} onClick={() => pick(m)} arrowIcon={false} data-testid={`h5-case-category-${m.code}`}>{m.name}</List.Item>
              ))}
            </List>
          </div>
        )}
      </div>
    </Popup>
  );
}
