import { DFrame } from '@acme/dframe';
import { describeComponent, fireEvent, render, screen, waitFor } from '@acme/dframe/testing';
import { ONCE, asOrderId, asProductId, asTimestamp, asUserId, type Order } from '@acme/once';
import { OrderList } from '../components/OrderList';

const order = (id: string, status: Order['status'], cents: number): Order => ({
  id: asOrderId(id),
  number: `A-${id}`,
  customerId: asUserId('u-1'),
  status,
  lines: [{ productId: asProductId('p-1'), description: 'Widget', quantity: 1, unitPrice: ONCE.money(cents) }],
  total: ONCE.money(cents),
  placedAt: asTimestamp('2024-03-01T10:00:00Z'),
  updatedAt: asTimestamp('2024-03-02T10:00:00Z'),
});

function serve(routes: Record<string, unknown>, status = 200): string[] {
  const requested: string[] = [];
  ONCE.configure({
    baseUrl: 'http://test.local/api',
    transport: async (input) => {
      const url = new URL(String(input));
      requested.push(url.pathname + url.search);
      const body = routes[url.pathname] ?? { code: 'not_found', message: 'nope' };
      return new Response(JSON.stringify(body), { status: url.pathname in routes ? status : 404 });
    },
  });
  return requested;
}

describeComponent('OrderList', () => {
  it('renders the orders returned by the API', async () => {
    serve({ '/api/orders': [order('1001', 'paid', 1999), order('1002', 'shipped', 500)] });
    render(<OrderList onSelect={() => undefined} />);

    expect(screen.getByText('Loading orders…')).toBeDefined();
    expect(await screen.findByText('A-1001')).toBeDefined();
    expect(screen.getByText('A-1002')).toBeDefined();
  });

  it('reports the selected order', async () => {
    serve({ '/api/orders': [order('1001', 'paid', 1999)] });
    const onSelect = jest.fn();
    render(<OrderList onSelect={onSelect} />);

    fireEvent.click(await screen.findByText('Details'));
    expect(onSelect).toHaveBeenCalledWith('1001');
  });

  it('shows a retry button when loading fails', async () => {
    const sink = jest.fn();
    ONCE.setErrorSink(sink);
    serve({ '/api/orders': { code: 'boom', message: 'server down' } }, 503);
    render(<OrderList onSelect={() => undefined} />);

    await waitFor(() => screen.getByRole('alert'));
    expect(screen.getByRole('button', { name: 'Retry' })).toBeDefined();
    expect(sink).toHaveBeenCalledWith(expect.any(ONCE.errors.ApiError), expect.objectContaining({ scope: 'orders-portal/useOrders' }));
  });
});
