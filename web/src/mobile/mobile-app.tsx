// The H5 (antd-mobile, loaded lazily at /m so it never enters the desktop bundle). One app for the people who
// work from a phone: grid workers (提户知人 → 登记走访), in-service members (岗位, 任务, 召集令, 服务时长) and residents
// (点单, 评单). The home page follows the caller's permissions.
import './setup';
import './mobile.css';
import { Route, Routes } from 'react-router-dom';
import { ConfigProvider } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useAuth } from '../auth';
import { HouseholdsPage } from './households-page';
import { HouseholdPage } from './household-page';
import { MemberHome } from './member/member-home';
import { ResidentHome } from './resident/resident-home';
import { AssignedOrdersPage } from './orders/assigned-page';
import { OrderDetailPage } from './orders/order-detail-page';
import { MyRecordsPage } from './orders/my-records-page';
import { RegistrationPage } from './registration/registration-page';
import { PostsPage as MemberPostsPage } from './registration/posts-page';
import { InboxPage } from './inbox/inbox-page';
import { TaskPage } from './tasks/task-page';
import { MobileCallPage } from './tasks/call-page';
import { CaseReportPage } from './cases/report-page';
import { MyCasesPage } from './cases/my-cases-page';
import { CaseTodoPage } from './cases/todo-page';
import { CaseDetailPage } from './cases/case-detail-page';
import { WishesPage } from './cases/wishes-page';

/** Grid workers see their households; members their service; residents their orders. */
function MobileHome() {
  const { can } = useAuth();
  if (can('visit:write') || can('people:read')) return <HouseholdsPage />;
  if (can('service:claim')) return <MemberHome />;
  return <ResidentHome />;
}

export default function MobileApp() {
  return (
    <ConfigProvider locale={zhCN}>
      <div className="linli-m" data-testid="h5">
        <Routes>
          <Route index element={<MobileHome />} />
          <Route path="rooms/:roomCode" element={<HouseholdPage />} />
          {/* issue 4 routes: registration, member, resident, notifications (one line each, keep sorted by module) */}
          <Route path="orders" element={<AssignedOrdersPage />} />
          <Route path="orders/:id" element={<OrderDetailPage />} />
          <Route path="records" element={<MyRecordsPage />} />
          <Route path="register" element={<RegistrationPage />} />
          <Route path="posts" element={<MemberPostsPage />} />
          <Route path="inbox" element={<InboxPage />} />
          <Route path="tasks/:id" element={<TaskPage />} />
          <Route path="calls/:id" element={<MobileCallPage />} />
          <Route path="cases" element={<MyCasesPage />} />
          <Route path="cases/report" element={<CaseReportPage />} />
          <Route path="cases/todo" element={<CaseTodoPage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route path="wishes" element={<WishesPage />} />
          <Route path="*" element={<MobileHome />} />
        </Routes>
      </div>
    </ConfigProvider>
  );
}
