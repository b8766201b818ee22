import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/schema.js';

export const HomeItem = Type.Object({
  key: Type.String({ description: '待办的标识，如 case.reported' }),
  label: Type.String({ description: '待办名称（中文）' }),
  count: Type.Integer({ minimum: 0, description: '由记录统计的件数' }),
  href: Type.String({ description: '点开后看到的筛选好的清单（页面地址）' }),
  list: Type.Object({
    path: Type.String({ description: '同一清单的接口路径' }),
    query: Type.Record(Type.String(), Type.String(), { description: '同一清单的筛选条件' }),
  }, { description: '与 count 一致的接口清单：逐条可查' }),
  hint: Nullable(Type.String({ description: '附注，如最近的期限' })),
});

export const Home = Type.Object({
  role: Type.String({ description: '首页按此角色组织（多角色时取主角色）' }),
  roleName: Type.String(),
  items: Type.Array(HomeItem),
});
export type HomeT = Static<typeof Home>;
export type HomeItemT = Static<typeof HomeItem>;
