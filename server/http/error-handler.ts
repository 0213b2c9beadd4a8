import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isKbError, type KbErrorCode } from '../errors.js';

/**
 * The one place errors become HTTP responses. Client errors say what to fix;
 * server errors are logged with their cause and answered with a request id
 * only, never a stack trace or an internal message.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = String(request.id);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        field: fieldOf(v.instancePath, v.params),
        message: v.message ?? '参数无效',
      }));
      return reply.code(400).send({
        error: {
          code: 'INVALID_QUERY' satisfies KbErrorCode,
          message: details.map((d) => (d.field ? `${d.field}：${d.message}` : d.message)).join('；'),
          requestId,
          details,
        },
      });
    }
    if (isKbError(error)) {
      if (error.statusCode >= 500) request.log.error({ err: error, cause: error.cause }, error.message);
      return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message, requestId } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const body = { code: clientCode(error), message: clientMessage(error), requestId };
      request.log.info({ status, code: body.code, fastifyCode: error.code }, body.message);
      return reply.code(status).send({ error: body });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      error: {
        code: 'INTERNAL' satisfies KbErrorCode,
        message: `服务内部错误，请稍后重试；如持续出现请把请求编号 ${requestId} 告诉管理员`,
        requestId,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND' satisfies KbErrorCode,
        message: '没有这个地址，接口列表见 /docs',
        requestId: String(request.id),
      },
    });
  });
}

/**
 * Errors Fastify raises before routing (bad percent-encoding in the path, a
 * parameter over the length limit, unparseable content type): same envelope.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? '地址中的参数太长：文章 id 最长 80 个字符' : clientMessage(error);
  const code = clientCode(error);
  request.log.info({ status, code, fastifyCode: error.code }, message);
  reply.code(status).send({ error: { code, message, requestId: String(request.id) } });
}

function fieldOf(instancePath: string, params: unknown): string {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (path) return path;
  const p = params as { issue?: { path?: unknown[] } } | undefined;
  return p?.issue?.path?.join('.') ?? '';
}

function clientCode(error: FastifyError): KbErrorCode {
  if (error.statusCode === 413) return 'PAYLOAD_TOO_LARGE';
  if (error.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (error.statusCode === 414) return 'URI_TOO_LONG';
  return 'BAD_REQUEST';
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return '请求体不是有效的 JSON：检查引号、逗号和括号，如 {"query":"光猫红灯","articleId":"bb-los-red","helpful":true}';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return '请求体超过 16 KB：缩短留言（comment 最多 500 字）后重试';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return '不支持的 Content-Type，请使用 application/json';
    case 'FST_ERR_BAD_URL':
      return '地址中有无效的 % 编码：参数请用 encodeURIComponent（或 curl -G --data-urlencode）编码后再发送';
    default:
      return '请求无效：请对照 /docs 检查地址、参数和请求体';
  }
}
