/**
 * Acme domain model shared by every service and UI. Prefer these types over
 * ad-hoc shapes such as `{ id: string }` or `Record<string, any>`.
 */

declare const brand: unique symbol;

/** A nominal type: `UserId` and `OrderId` are both strings but not interchangeable. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type UserId = Brand<string, 'UserId'>;
export type OrderId = Brand<string, 'OrderId'>;
export type ProductId = Brand<string, 'ProductId'>;
export type TenantId = Brand<string, 'TenantId'>;

/** ISO-8601 timestamp as sent by the API, e.g. "2024-03-01T12:00:00Z". */
export type Timestamp = Brand<string, 'Timestamp'>;

export type CurrencyCode = 'EUR' | 'USD' | 'GBP' | 'CHF';

/** Money is always in minor units (cents) to avoid floating point drift. */
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

/** One page of a cursor-paginated collection. */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface PageQuery {
  cursor?: string;
  limit?: number;
}

export const asUserId = (value: string) => value as UserId;
export const asOrderId = (value: string) => value as OrderId;
export const asProductId = (value: string) => value as ProductId;
export const asTimestamp = (value: string) => value as Timestamp;

export function money(amount: number, currency: CurrencyCode = 'EUR'): Money {
  if (!Number.isInteger(amount)) {
    throw new RangeError(`Money amounts are minor units and must be integers, got ${amount}`);
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new Error(`Cannot add ${a.currency} to ${b.currency}`);
  }
  return money(a.amount + b.amount, a.currency);
}

export function formatMoney(value: Money, locale = 'de-DE'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency }).format(value.amount / 100);
}
