import { SetMetadata } from '@nestjs/common';

/**
 * - admin: everything
 * - operator: connections, jobs, previews and runs
 * - approver: approve or deny runs, resume or cancel runs stopped by a threshold
 * - viewer: read jobs, runs, plans, results and history
 */
export type Role = 'admin' | 'operator' | 'approver' | 'viewer';

export const ROLES_KEY = 'idsync:roles';
export const PUBLIC_KEY = 'idsync:public';

/** Who may call an endpoint (any one of the roles; admin always may). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** An endpoint anyone may call (health, the API document). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
