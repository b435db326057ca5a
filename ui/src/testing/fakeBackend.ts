import { vi } from 'vitest';

import { sessionStore } from '@/modules/auth/states/sessionStore';
import type { Role } from '@/modules/auth/types/Session';

type Handler = (body: unknown) => unknown;
export type Routes = Record<string, Handler | unknown>;

/** Signs a user in locally (no request) with a token that does not expire soon. */
export function signInAs(role: Role, fullName = 'Agent1'): void {
  sessionStore.set({
    accessToken: 'access',
    refreshToken: 'refresh',
    expiresAt: Date.now() + 15 * 60_000,
    user: { id: 7, email: 'agent1@demo.pivotal.dev', full_name: fullName, role, client_id: null },
  });
}

/**
 * Replaces fetch with a router keyed "METHOD /path" (the path after /api/v1, query included
 * or not). Returns the spy to inspect the calls made.
 */
export function fakeApi(routes: Routes) {
  const spy = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace('/api/v1', '');
    const key = [`${method} ${path}${url.search}`, `${method} ${path}`].find((k) => k in routes);
    if (!key) {
      return new Response(JSON.stringify({ status: 404, code: 'not_found', message: `No route ${method} ${path}`, errors: [] }), { status: 404 });
    }
    const route = routes[key];
    const body = init?.body instanceof FormData ? init.body : init?.body ? JSON.parse(String(init.body)) : undefined;
    const answer = typeof route === 'function' ? (route as Handler)(body) : route;
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', spy);
  return spy;
}

/** A WebSocket that says hello at once; tests push batches with `FakeSocket.last.push`. */
export class FakeSocket {
  static last: FakeSocket | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  readonly url: string;

  constructor(url: string) {
    this.url = url;
    FakeSocket.last = this;
    setTimeout(() => this.push([{ type: 'hello', role: 'agent' }]), 0);
  }

  push(batch: unknown[]): void {
    this.onmessage?.({ data: JSON.stringify(batch) });
  }

  close(): void {}
}

export function installFakeSocket(): void {
  vi.stubGlobal('WebSocket', FakeSocket);
}

export function requestsTo(spy: ReturnType<typeof fakeApi>, method: string, path: string) {
  return spy.mock.calls
    .filter(([input, init]) => (init?.method ?? 'GET') === method && String(input).startsWith(`/api/v1${path}`))
    .map(([, init]) => (init?.body ? JSON.parse(String(init.body)) : undefined));
}
