// Grid worker H5 (网格员掌上版): 我的网格 household lookup → household detail (who lives there, masked; tags; visits)
// → 登记走访. 提户知人、提人知事. antd-mobile only; loaded lazily at /m so it never enters the desktop bundle.
import './setup';
import './mobile.css';
import { Route, Routes } from 'react-router-dom';
import { ConfigProvider } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { HouseholdsPage } from './households-page';
import { HouseholdPage } from './household-page';

export default function MobileApp() {
  return (
    <ConfigProvider locale={zhCN}>
      <div className="linli-m" data-testid="h5">
        <Routes>
          <Route index element={<HouseholdsPage />} />
          <Route path="rooms/:roomCode" element={<HouseholdPage />} />
          <Route path="*" element={<HouseholdsPage />} />
        </Routes>
      </div>
    </ConfigProvider>
  );
}
