import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { KbError } from '../errors.js';

export type AccessConfig = { agentKeys: string[]; adminKeys: string[]; localMode: boolean };
export type Role = 'agent' | 'admin';

/**
 * Bearer-key checks. Keys are compared as SHA-256 digests with
 * timingSafeEqual, against every configured key without stopping early, so
 * neither the key's length nor its position in the list shows in the timing.
 * In local mode (no keys configured, loopback only) every scope is open.
 */
export function createAccessCheck(access: AccessConfig) {
  const digest = (key: string) => createHash('sha256').update(key).digest();
  const agent = access.agentKeys.map(digest);
  const admin = access.adminKeys.map(digest);

  const matches = (presented: Buffer, keys: Buffer[]) => {
    let found = false;
    for (const key of keys) found = timingSafeEqual(presented, key) || found;
    return found;
  };

  return function roleOf(request: FastifyRequest): Role | undefined {
    if (access.localMode) return 'admin';
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return undefined;
    const presented = digest(match[1]);
    if (matches(presented, admin)) return 'admin';
    if (matches(presented, agent)) return 'agent';
    return undefined;
  };
}

export function requireRole(roleOf: (r: FastifyRequest) => Role | undefined, needed: Role) {
  return async (request: FastifyRequest) => {
    const role = roleOf(request);
    if (!role) {
      throw new KbError('UNAUTHORIZED', '需要有效的访问密钥：请在请求头中加上 Authorization: Bearer <密钥>');
    }
    if (needed === 'admin' && role !== 'admin') {
      throw new KbError('FORBIDDEN', '此操作需要管理员密钥');
    }
  };
}
