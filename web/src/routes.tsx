// Route table: which page, behind which permission. Pages are lazy so each screen loads its own code.
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useAuth } from './auth';
import { AppLayout } from './layout/app-layout';
import { PageSpinner } from './components/page-spinner';
import { homeOf, isPhone, mayOpen, PAGE_PERMISSION } from './home';

const LoginPage = lazy(() => import('./pages/login/login-page'));
const DashboardPage = lazy(() => import('./pages/dashboard/dashboard-page'));
const TerritoryPage = lazy(() => import('./pages/territory/territory-page'));
const OrgPage = lazy(() => import('./pages/org/org-page'));
const UsersPage = lazy(() => import('./pages/users/users-page'));
const RolesPage = lazy(() => import('./pages/roles/roles-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const LoginLogPage = lazy(() => import('./pages/audit/login-log-page'));
const PasswordPage = lazy(() => import('./pages/account/password-page'));
const TotpPage = lazy(() => import('./pages/account/totp-page'));
const ArchivePage = lazy(() => import('./pages/archive/archive-page'));
const CompoundPage = lazy(() => import('./pages/archive/compound-page'));
const PersonsPage = lazy(() => import('./pages/archive/persons-page'));
const ImportsPage = lazy(() => import('./pages/imports/imports-page'));
const UnmaskLogPage = lazy(() => import('./pages/audit/unmask-log-page'));
const ServiceListsPage = lazy(() => import('./pages/projects/lists-page'));
const UnitProjectsPage = lazy(() => import('./pages/projects/unit-projects-page'));
const ServiceOverviewPage = lazy(() => import('./pages/service/overview-page'));
const OrdersPage = lazy(() => import('./pages/orders/orders-page'));
const RecordsPage = lazy(() => import('./pages/records/records-page'));
const CarePage = lazy(() => import('./pages/records/care-page'));
const ForcesPage = lazy(() => import('./pages/forces/forces-page'));
const TeamsPage = lazy(() => import('./pages/forces/teams-page'));
const ResourcesPage = lazy(() => import('./pages/forces/resources-page'));
const ContactsPage = lazy(() => import('./pages/forces/contacts-page'));
const RegistrationsPage = lazy(() => import('./pages/registration/registrations-page'));
const RegistrationQrPage = lazy(() => import('./pages/registration/qr-page'));
const ServicePostsPage = lazy(() => import('./pages/registration/posts-page'));
const UnitReportPage = lazy(() => import('./pages/registration/unit-page'));
const RatesPage = lazy(() => import('./pages/registration/rates-page'));
// The grid worker H5 (antd-mobile) is its own chunk, outside the desktop layout.
const TasksPage = lazy(() => import('./pages/tasks/tasks-page'));
const CallPage = lazy(() => import('./pages/tasks/call-page'));
const MobileApp = lazy(() => import('./mobile/mobile-app'));
const MobileSignupPage = lazy(() => import('./mobile/registration/signup-page'));
const CasesPage = lazy(() => import('./pages/cases/cases-page'));
const CasePage = lazy(() => import('./pages/cases/case-page'));
const CaseNewPage = lazy(() => import('./pages/cases/case-new-page'));
const CaseRatesPage = lazy(() => import('./pages/cases/rates-page'));
const CaseMapPage = lazy(() => import('./pages/cases/map-page'));
const CaseSettingsPage = lazy(() => import('./pages/cases/settings-page'));
const PropertyCasesPage = lazy(() => import('./pages/cases/property-page'));

/** Renders the page only if the user holds `permission`; otherwise a 403 result. */
/** A page behind its permission (PAGE_PERMISSION in home.ts, the one table the login landing reads too). */
function Guard({ page, children }: { page: string; children: ReactNode }) {
  const { user } = useAuth();
  const permission = PAGE_PERMISSION[page];
  if (permission && !mayOpen(user?.permissions ?? [], permission)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle="抱歉，您没有访问此页面的权限。如需开通，请联系系统管理员。"
        extra={
          <Button type="primary" href="/">
            返回首页
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}

/**
 * Signed-in area: redirects to /login when there is no session, to the password page when it must change, then to
 * 两步验证 when a privileged account must set it up (the server answers 403 TOTP_ENROLLMENT_REQUIRED until then).
 */
function RequireSession({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <PageSpinner />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (user.mustChangePassword && location.pathname !== '/account/password') {
    return <Navigate to="/account/password" replace />;
  }
  if (!user.mustChangePassword && user.totpEnrollmentRequired && location.pathname !== '/account/totp') {
    return <Navigate to="/account/totp" replace />;
  }
  return <>{children}</>;
}

/** `/`: the district's figures for staff; members, residents and grid workers on a phone go to their H5 home, a unit's party org to its members' report. */
function Home() {
  const { user } = useAuth();
  const home = user ? homeOf(user, isPhone()) : '/';
  if (home !== '/') return <Navigate to={home} replace />;
  return <DashboardPage />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageSpinner />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* 码上报到: the page the community QR opens, before anyone has an account (it handles a session itself) */}
        <Route path="/m/signup/:communityCode" element={<MobileSignupPage />} />
        <Route
          path="/m/*"
          element={
            <RequireSession>
              <MobileApp />
            </RequireSession>
          }
        />
        <Route
          element={
            <RequireSession>
              <AppLayout />
            </RequireSession>
          }
        >
          <Route index element={<Home />} />
          <Route path="territory" element={<Guard page="territory"><TerritoryPage /></Guard>} />
          <Route path="org" element={<Guard page="org"><OrgPage /></Guard>} />
          <Route path="users" element={<Guard page="users"><UsersPage /></Guard>} />
          <Route path="roles" element={<Guard page="roles"><RolesPage /></Guard>} />
          <Route path="archive" element={<Guard page="archive"><ArchivePage /></Guard>} />
          <Route path="archive/compounds/:code" element={<Guard page="archive/compounds/:code"><CompoundPage /></Guard>} />
          <Route path="archive/persons" element={<Guard page="archive/persons"><PersonsPage /></Guard>} />
          <Route path="imports" element={<Guard page="imports"><ImportsPage /></Guard>} />
          <Route path="audit" element={<Guard page="audit"><AuditPage /></Guard>} />
          <Route path="audit/unmask" element={<Guard page="audit/unmask"><UnmaskLogPage /></Guard>} />
          <Route path="login-log" element={<Guard page="login-log"><LoginLogPage /></Guard>} />
          <Route path="service/lists" element={<Guard page="service/lists"><ServiceListsPage /></Guard>} />
          <Route path="service/overview" element={<Guard page="service/overview"><ServiceOverviewPage /></Guard>} />
          <Route path="service/unit-projects" element={<Guard page="service/unit-projects"><UnitProjectsPage /></Guard>} />
          <Route path="service/orders" element={<Guard page="service/orders"><OrdersPage /></Guard>} />
          <Route path="service/tasks" element={<Guard page="service/tasks"><TasksPage /></Guard>} />
          <Route path="service/tasks/calls/:id" element={<Guard page="service/tasks/calls/:id"><CallPage /></Guard>} />
          <Route path="service/records" element={<Guard page="service/records"><RecordsPage /></Guard>} />
          <Route path="service/flags" element={<Guard page="service/flags"><CarePage /></Guard>} />
          <Route path="service/honours" element={<Guard page="service/honours"><CarePage /></Guard>} />
          <Route path="service/unit-flags" element={<Guard page="service/unit-flags"><CarePage /></Guard>} />
          <Route path="forces" element={<Guard page="forces"><ForcesPage /></Guard>} />
          <Route path="forces/teams" element={<Guard page="forces/teams"><TeamsPage /></Guard>} />
          <Route path="forces/resources" element={<Guard page="forces/resources"><ResourcesPage /></Guard>} />
          <Route path="forces/contacts" element={<Guard page="forces/contacts"><ContactsPage /></Guard>} />
          <Route path="service/registrations" element={<Guard page="service/registrations"><RegistrationsPage /></Guard>} />
          <Route path="service/registration-qr" element={<Guard page="service/registration-qr"><RegistrationQrPage /></Guard>} />
          <Route path="service/posts" element={<Guard page="service/posts"><ServicePostsPage /></Guard>} />
          <Route path="service/rates" element={<Guard page="service/rates"><RatesPage /></Guard>} />
          <Route path="service/unit" element={<Guard page="service/unit"><UnitReportPage /></Guard>} />
          <Route path="cases" element={<Guard page="cases"><CasesPage /></Guard>} />
          <Route path="cases/new" element={<Guard page="cases/new"><CaseNewPage /></Guard>} />
          <Route path="cases/rates" element={<Guard page="cases/rates"><CaseRatesPage /></Guard>} />
          <Route path="cases/map" element={<Guard page="cases/map"><CaseMapPage /></Guard>} />
          <Route path="cases/settings" element={<Guard page="cases/settings"><CaseSettingsPage /></Guard>} />
          <Route path="cases/property" element={<Guard page="cases/property"><PropertyCasesPage /></Guard>} />
          <Route path="cases/:id" element={<Guard page="cases/:id"><CasePage /></Guard>} />
          <Route path="account/password" element={<PasswordPage />} />
          <Route path="account/totp" element={<TotpPage />} />
          <Route
            path="*"
            element={<Result status="404" title="404" subTitle="页面不存在" extra={<Button href="/">返回首页</Button>} />}
          />
        </Route>
      </Routes>
    </Suspense>
  );
}
