// The H5 pages reuse the desktop API client and archive types (no antd in here).
export { archiveApi } from '../pages/archive/archive-api';
export type { HouseholdRow, Resident, RoomArchive, Visit } from '../pages/archive/archive-api';
