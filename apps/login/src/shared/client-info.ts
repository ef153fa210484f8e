import type { FastifyRequest } from 'fastify';

/** Who made a request, as recorded in security events and sessions. */
export interface ClientInfo {
  /** The client address: request.ip, which honours the gateway's X-Forwarded-For. */
  ip: string;
  userAgent: string | null;
}

const MAX_USER_AGENT = 512;

export function clientInfo(request: FastifyRequest): ClientInfo {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' && ua ? ua.slice(0, MAX_USER_AGENT) : null };
}
