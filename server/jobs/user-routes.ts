import { z } from 'zod';
import { Role, User } from '../../shared/domain/roles';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { toPublicUser, usersRepository } from '../store/users-repository';

const UserListQuery = z.object({ role: Role.optional() });
const UserList = z.object({ users: z.array(User) });

export function registerUserRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/users',
    summary: 'Active users, e.g. the agents a job can be assigned to',
    tag: 'users',
    action: 'users.read',
    query: UserListQuery,
    response: { status: 200, description: 'Active users', schema: UserList },
    handler: async ({ query }) => {
      const users = await usersRepository(context.store.db).list({ role: query.role });
      return { users: users.map(toPublicUser) };
    },
  });
}
