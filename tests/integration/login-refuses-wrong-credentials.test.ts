import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse, MeResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('sign-in', () => {
  it('answers the same generic problem for a wrong password and an unknown user', async () => {
    const wrongPassword = await server.api('/api/v1/auth/login', { json: { username: 'agent1', password: 'nope-nope' } });
    const unknownUser = await server.api('/api/v1/auth/login', { json: { username: 'nobody', password: 'demo1234' } });
    for (const answer of [wrongPassword, unknownUser]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(Problem.parse(answer.body).code).toBe('invalid_credentials');
    }
    expect(Problem.parse(wrongPassword.body).detail).toBe(Problem.parse(unknownUser.body).detail);
  });

  it('signs in with the right password, ignoring the user name case, and knows who is signed in', async () => {
    const answer = await server.api('/api/v1/auth/login', { json: { username: 'Agent1', password: 'demo1234', deviceId: 'van-7', deviceName: 'Van 7 laptop' } });
    expect(answer.status).toBe(200);
    const login = LoginResponse.parse(answer.body);
    expect(login.user).toMatchObject({ username: 'agent1', role: 'agent' });
    expect(login.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await server.api('/api/v1/auth/me', { token: login.token });
    expect(me.status).toBe(200);
    expect(MeResponse.parse(me.body).user.id).toBe(login.user.id);
  });

  it('refuses requests without a token, with a made-up token, and after logout', async () => {
    expect((await server.api('/api/v1/auth/me')).status).toBe(401);
    const forged = await server.api('/api/v1/auth/me', { token: 'A'.repeat(43) });
    expect(forged.status).toBe(401);
    expect(Problem.parse(forged.body).code).toBe('unauthenticated');

    const { token } = await server.login('dispatcher1');
    expect((await server.api('/api/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    const after = await server.api('/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(Problem.parse(after.body).code).toBe('unauthenticated');
  });
});
