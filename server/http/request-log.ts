import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's request log lines carry the full URL, and for this service the
 * URL is what the customer said on the phone (phone and ID numbers included:
 * the event log masks them, the request log would not). One line per request
 * instead, with the route pattern and never the query string.
 */
export class RouteLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, route: routeOf(request), status: reply.statusCode, ms: elapsed(reply) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method, route: 'not-found' }, 'route not found');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, route: routeOf(request), status: reply.statusCode, err: error };
    if (reply.statusCode >= 500) reply.log.error(line, error.message);
    else reply.log.info(line, error.message);
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'not-found'; // only unmatched requests have no route
}

function elapsed(reply: FastifyReply): number {
  return Math.round(reply.elapsedTime * 10) / 10;
}
