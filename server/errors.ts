/**
 * Stable error codes: every `code` a client can receive is one of these.
 * Routes and CLI commands map these, never raw messages, so clients can rely
 * on `code` while `message` stays human (Simplified Chinese).
 */
export type KbErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_QUERY'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'URI_TOO_LONG'
  | 'NOT_FOUND'
  | 'INVALID_FRONT_MATTER'
  | 'INVALID_ARTICLE'
  | 'DUPLICATE_ID'
  | 'ARTICLE_NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'ENGINE_UNAVAILABLE'
  | 'NOT_READY'
  | 'CONTENT_UNAVAILABLE'
  | 'INTERNAL';

const HTTP_STATUS: Record<KbErrorCode, number> = {
  INVALID_CONFIG: 500,
  INVALID_QUERY: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  URI_TOO_LONG: 414,
  NOT_FOUND: 404,
  INVALID_FRONT_MATTER: 422,
  INVALID_ARTICLE: 422,
  DUPLICATE_ID: 422,
  ARTICLE_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  ENGINE_UNAVAILABLE: 503,
  NOT_READY: 503,
  CONTENT_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class KbError extends Error {
  readonly code: KbErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(
    code: KbErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'KbError';
    this.code = code;
    this.details = options.details;
  }

  get statusCode(): number {
    return HTTP_STATUS[this.code];
  }
}

export function isKbError(error: unknown): error is KbError {
  return error instanceof KbError;
}
