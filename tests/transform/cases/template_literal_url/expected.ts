import { ONCE } from '@acme/once';

const API = '/api/v2';

export async function getInvoice(customer: string, id: number) {
  return (await ONCE.apiClient.get(`${API}/customers/${encodeURIComponent(customer)}/invoices/${id}`)).data;
}
