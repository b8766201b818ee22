// The community's or the branch's rating of a service (多方评价), used for orders and for any service record.
import { useState } from 'react';
import { App, Input, Modal, Radio, Rate, Space } from 'antd';
import { errorMessage } from '../../api';

export interface StaffRating { score: number; as: 'community' | 'branch'; comment?: string }

/** Open while `title` is not null; `submit` sends the rating and hands back what the page shows next. */
export function StaffRatingModal<T>({ title, submit, onClose, onDone }: {
  title: string | null; submit: (rating: StaffRating) => Promise<T>; onClose: () => void; onDone: (result: T) => void;
}) {
  const { message } = App.useApp();
  const [score, setScore] = useState(5);
  const [as, setAs] = useState<'community' | 'branch'>('community');
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const send = async () => {
    setSaving(true);
    try {
      onDone(await submit({ score, as, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
      message.success('已评价');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={title !== null} title={`评价：${title ?? ''}`} onCancel={onClose} onOk={send} confirmLoading={saving} okText="提交评价" destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group value={as} onChange={(e) => setAs(e.target.value)}>
          <Radio value="community">社区评价</Radio>
          <Radio value="branch">支部评价（第一书记）</Radio>
        </Radio.Group>
        <Rate value={score} onChange={setScore} />
        <Input.TextArea rows={3} placeholder="评价内容（选填）" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
      </Space>
    </Modal>
  );
}
