/**
 * ONCE error model. Every failure that crosses the API boundary becomes an
 * `ApiError` (or a subclass), and every error a UI cannot handle goes to
 * `reportError`, never to `console.error`.
 */

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(status: number, body: ErrorBody, requestId?: string) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.requestId = requestId;
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, requestId?: string) {
    super(404, { code: 'not_found', message: `${resource} was not found` }, requestId);
    this.name = 'NotFoundError';
  }
}

export class UnauthorizedError extends ApiError {
  constructor(requestId?: string) {
    super(401, { code: 'unauthorized', message: 'Your session has expired' }, requestId);
    this.name = 'UnauthorizedError';
  }
}

export class ValidationError extends ApiError {
  readonly fields: Record<string, string[]>;

  constructor(body: ErrorBody, requestId?: string) {
    super(422, body, requestId);
    this.name = 'ValidationError';
    this.fields = body.details ?? {};
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface ErrorContext {
  /** Where the error surfaced, e.g. "orders-portal/OrderList". */
  scope: string;
  tags?: Record<string, string>;
}

export type ErrorSink = (error: Error, context: ErrorContext) => void;

let sink: ErrorSink = (error, context) => {
  // Default sink for tests and local development.
  console.warn(`[ONCE] ${context.scope}: ${error.name}: ${error.message}`);
};

export function setErrorSink(next: ErrorSink): void {
  sink = next;
}

/** Normalises anything thrown into an Error and hands it to the configured sink. */
export function reportError(error: unknown, context: ErrorContext | string): Error {
  const normalised = error instanceof Error ? error : new Error(String(error));
  sink(normalised, typeof context === 'string' ? { scope: context } : context);
  return normalised;
}
