import type { Role } from '../../../shared/domain/roles';

export const roleLabels: Record<Role, string> = {
  agent: 'Field agent',
  dispatcher: 'Dispatcher',
  supervisor: 'Supervisor',
  admin: 'Administrator',
};
