import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';

type Rejection = { status: number; code: string; message: string };

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (a raw UTF-8
 * query in the request line, headers or URL over 16 KB, a request that never
 * finishes) get the same error envelope as every other error, in Chinese and
 * saying what to fix, instead of Fastify's English `{"error":"Bad Request",
 * "message":"Client Error"}`; and they are logged, which Fastify only did at
 * trace level. The log line never carries the raw request: its URL is what the
 * customer typed.
 *
 * Bound to the Fastify instance (`this`), as Fastify calls it.
 */
export function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  // A reset connection has nobody left to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = describe(error);
  const requestId = randomUUID();
  this.log.info({ status, code, parserError: error.code, requestId }, `请求被拒绝：${message}`);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message, requestId } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function describe(error: ConnectionError): Rejection {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      message: '请求头或地址太长（合计不能超过 16 KB）：缩短搜索内容（最多 500 字），或清掉多余的 Cookie 后重试',
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return { status: 408, code: 'REQUEST_TIMEOUT', message: '请求没有在规定时间内发完，请重新发送' };
  }
  if (unencodedUrl(error)) {
    return {
      status: 400,
      code: 'BAD_REQUEST',
      message:
        '地址里有没有编码的中文、空格或特殊字符：请先做 URL 编码再发送' +
        '（curl 用 -G --data-urlencode "q=光猫红灯"，JavaScript 用 encodeURIComponent，浏览器会自动编码）',
    };
  }
  return { status: 400, code: 'BAD_REQUEST', message: '请求格式不对，不是有效的 HTTP 请求：请检查客户端或代理' };
}

/** Whether the request line holds bytes a URL may not: non-ASCII (raw UTF-8), spaces inside, control characters. */
function unencodedUrl(error: ConnectionError): boolean {
  if (error.code === 'HPE_INVALID_URL') return true;
  const raw: unknown = error.rawPacket;
  if (!Buffer.isBuffer(raw)) return false;
  const end = raw.indexOf('\r\n');
  const line = raw.subarray(0, end === -1 ? raw.length : end);
  return line.some((byte) => byte >= 0x80 || byte < 0x20) || line.toString('latin1').split(' ').length > 3;
}
