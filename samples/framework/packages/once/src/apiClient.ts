import { ApiError, NotFoundError, UnauthorizedError, ValidationError, type ErrorBody } from './errors';

/** `ApiResponse` alone (as `AxiosResponse` alone is written) holds data of a type not yet known. */
export interface ApiResponse<T = unknown> {
  data: T;
  status: number;
  headers: Record<string, string>;
  requestId?: string;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Retries for idempotent requests on 429/5xx. Default 2 for GET, 0 otherwise. */
  retries?: number;
}

export interface BodyRequestOptions extends RequestOptions {
  body?: unknown;
}

export interface ApiClientConfig {
  baseUrl: string;
  getToken?: () => string | undefined;
  transport?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function toError(status: number, body: ErrorBody, path: string, requestId?: string): ApiError {
  if (status === 401) return new UnauthorizedError(requestId);
  if (status === 404) return new NotFoundError(path, requestId);
  if (status === 422) return new ValidationError(body, requestId);
  return new ApiError(status, body, requestId);
}

export function createApiClient(config: ApiClientConfig) {
  const send = async <T>(method: Method, path: string, opts: BodyRequestOptions = {}): Promise<ApiResponse<T>> => {
    const url = new URL(path.replace(/^\//, ''), config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = config.getToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';

    const transport = config.transport ?? globalThis.fetch;
    let attemptsLeft = opts.retries ?? (method === 'GET' ? 2 : 0);
    for (;;) {
      const res = await transport(url.toString(), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
      const requestId = res.headers.get('x-request-id') ?? undefined;
      const text = await res.text();
      const payload: unknown = text.length > 0 ? JSON.parse(text) : undefined;
      if (res.ok) {
        const responseHeaders: Record<string, string> = {};
        res.headers.forEach((value, key) => (responseHeaders[key] = value));
        return { data: payload as T, status: res.status, headers: responseHeaders, requestId };
      }
      const error = toError(res.status, (payload as ErrorBody) ?? { code: 'unknown', message: res.statusText }, path, requestId);
      if (!error.retryable || attemptsLeft-- <= 0) throw error;
    }
  };

  return {
    get: <T>(path: string, opts?: RequestOptions) => send<T>('GET', path, opts),
    post: <T>(path: string, body?: unknown, opts?: RequestOptions) => send<T>('POST', path, { ...opts, body }),
    put: <T>(path: string, body?: unknown, opts?: RequestOptions) => send<T>('PUT', path, { ...opts, body }),
    patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => send<T>('PATCH', path, { ...opts, body }),
    delete: <T = void>(path: string, opts?: RequestOptions) => send<T>('DELETE', path, opts),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The shared client. Apps call `ONCE.configure` once at start-up. */
export let apiClient: ApiClient = createApiClient({ baseUrl: 'http://localhost:8080/api' });

export function configure(config: ApiClientConfig): ApiClient {
  apiClient = createApiClient(config);
  return apiClient;
}
