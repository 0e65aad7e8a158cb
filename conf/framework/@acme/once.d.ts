/**
 * ONCE: Acme's service layer (@acme/once 2.1): the API client, the error model and error
 * reporting, and the domain types. Implementation: samples/framework/packages/once.
 */
// --- API client ---------------------------------------------------------------------
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
export interface ApiClientConfig {
  baseUrl: string;
  getToken?: () => string | undefined;
  transport?: typeof fetch;
}
export interface ApiClient {
  get<T = unknown>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  put<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  delete<T = void>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
}
export function createApiClient(config: ApiClientConfig): ApiClient;
export let apiClient: ApiClient;
export function configure(config: ApiClientConfig): ApiClient;

// --- Errors ---------------------------------------------------------------------------
export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, string[]>;
}
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, body: ErrorBody, requestId?: string);
  get retryable(): boolean;
}
export class NotFoundError extends ApiError {
  constructor(resource: string, requestId?: string);
}
export class UnauthorizedError extends ApiError {
  constructor(requestId?: string);
}
export class ValidationError extends ApiError {
  readonly fields: Record<string, string[]>;
  constructor(body: ErrorBody, requestId?: string);
}
export function isApiError(error: unknown): error is ApiError;
export interface ErrorContext {
  /** Where the error surfaced, e.g. "orders-portal/OrderList". */
  scope: string;
  tags?: Record<string, string>;
}
export type ErrorSink = (error: Error, context: ErrorContext) => void;
export function setErrorSink(next: ErrorSink): void;
/** Normalises anything thrown into an Error and hands it to the configured sink. */
export function reportError(error: unknown, context: ErrorContext | string): Error;

// --- Domain types ---------------------------------------------------------------------
declare const brand: unique symbol;
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };
export type UserId = Brand<string, 'UserId'>;
export type OrderId = Brand<string, 'OrderId'>;
export type ProductId = Brand<string, 'ProductId'>;
export type TenantId = Brand<string, 'TenantId'>;
export type Timestamp = Brand<string, 'Timestamp'>;
export type CurrencyCode = 'EUR' | 'USD' | 'GBP' | 'CHF';
export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}
export type Role = 'viewer' | 'editor' | 'admin';
export interface User {
  id: UserId;
  tenantId: TenantId;
  email: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  createdAt: Timestamp;
}
export type OrderStatus = 'draft' | 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled';
export interface OrderLine {
  productId: ProductId;
  description: string;
  quantity: number;
  unitPrice: Money;
}
export interface Order {
  id: OrderId;
  number: string;
  customerId: UserId;
  status: OrderStatus;
  lines: OrderLine[];
  total: Money;
  placedAt: Timestamp | null;
  updatedAt: Timestamp;
}
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}
export interface PageQuery {
  cursor?: string;
  limit?: number;
}
export function asUserId(value: string): UserId;
export function asOrderId(value: string): OrderId;
export function asProductId(value: string): ProductId;
export function asTimestamp(value: string): Timestamp;
export function money(amount: number, currency?: CurrencyCode): Money;
export function addMoney(a: Money, b: Money): Money;
export function formatMoney(value: Money, locale?: string): string;

export const version: string;

/** The namespace object: `ONCE.apiClient.get<T>(path)`, `ONCE.reportError(error, scope)`. */
export const ONCE: {
  readonly version: string;
  /** Always the currently configured client (see `configure`). */
  readonly apiClient: ApiClient;
  configure: typeof configure;
  createApiClient: typeof createApiClient;
  reportError: typeof reportError;
  setErrorSink: typeof setErrorSink;
  isApiError: typeof isApiError;
  errors: {
    ApiError: typeof ApiError;
    NotFoundError: typeof NotFoundError;
    UnauthorizedError: typeof UnauthorizedError;
    ValidationError: typeof ValidationError;
  };
  money: typeof money;
  addMoney: typeof addMoney;
  formatMoney: typeof formatMoney;
  asUserId: typeof asUserId;
  asOrderId: typeof asOrderId;
};
export default ONCE;
