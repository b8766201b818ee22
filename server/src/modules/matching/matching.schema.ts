/** Matching needs to abilities (群众所需 ↔ 党员所能, C4.6): TypeBox schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from '../../platform/schema.js';

export const IdParam = Type.Object({ id: Id() });

export const Suggestion = Type.Object({
  memberId: Type.Integer({ description: '力量库 ID（force_person）' }),
  score: Type.Number({ description: '0–100：技能 35、距离 25、时间 15、当前负荷 15、近一年评价 10' }),
  reasons: Type.Array(Type.String(), { description: '推荐理由，如「技能匹配：法律咨询」「距家约 850 米」' }),
  name: Nullable(Type.String({ description: '脱敏' })), communityCode: Type.String(), communityName: Type.String(),
  distanceMeters: Nullable(Type.Integer()), openLoad: Type.Integer(), skills: Type.Array(Type.String({ description: '匹配到的技能名称' })),
  ratings: Type.Integer(), satisfaction: Nullable(Type.Number({ description: '近一年满意度（4–5 分占比）' })),
});
export type SuggestionT = Static<typeof Suggestion>;

export const Suggestions = Type.Object({ items: Type.Array(Suggestion) }, { $id: 'MatchSuggestions' });
export type SuggestionsT = Static<typeof Suggestions>;
