const API = '/api/v2';

export async function getInvoice(customer: string, id: number) {
  return await (await fetch(`${API}/customers/${encodeURIComponent(customer)}/invoices/${id}`)).json();
}
