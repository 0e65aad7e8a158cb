import { ONCE, type Order, type OrderId, type OrderStatus, type Page } from '@acme/once';

/** Order endpoints used by the portal. All calls go through ONCE.apiClient. */

export async function listOrders(status?: OrderStatus): Promise<Order[]> {
  const response = await ONCE.apiClient.get<Order[]>('/orders', { query: { status } });
  return response.data;
}

export async function listOrdersPage(cursor?: string, limit = 20): Promise<Page<Order>> {
  const { data } = await ONCE.apiClient.get<Page<Order>>('/orders/paged', { query: { cursor, limit } });
  return data;
}

export async function getOrder(id: OrderId): Promise<Order> {
  const { data } = await ONCE.apiClient.get<Order>(`/orders/${id}`);
  return data;
}

export async function cancelOrder(id: OrderId, reason: string): Promise<Order> {
  const { data } = await ONCE.apiClient.post<Order>(`/orders/${id}/cancel`, { reason });
  return data;
}

export async function updateShippingNote(id: OrderId, note: string): Promise<Order> {
  const { data } = await ONCE.apiClient.patch<Order>(`/orders/${id}`, { shippingNote: note });
  return data;
}
