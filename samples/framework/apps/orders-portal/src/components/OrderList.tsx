import { DFrame } from '@acme/dframe';
import { ONCE, type Order, type OrderId, type OrderStatus } from '@acme/once';
import { useOrders } from '../hooks/useOrders';

export interface OrderListProps {
  onSelect: (id: OrderId) => void;
  initialStatus?: OrderStatus;
}

const STATUSES: OrderStatus[] = ['placed', 'paid', 'shipped', 'delivered', 'cancelled'];

const OrderRow: DFrame.FC<{ order: Order; onSelect: (id: OrderId) => void }> = ({ order, onSelect }) => (
  <tr data-testid={`order-${order.id}`}>
    <td>{order.number}</td>
    <td>{order.status}</td>
    <td>{ONCE.formatMoney(order.total)}</td>
    <td>
      <button type="button" onClick={() => onSelect(order.id)}>
        Details
      </button>
    </td>
  </tr>
);

export const OrderList: DFrame.FC<OrderListProps> = ({ onSelect, initialStatus }) => {
  const [status, setStatus] = DFrame.useState<OrderStatus | undefined>(initialStatus);
  const { orders, loading, error, reload } = useOrders(status);

  const totalSpent = DFrame.useMemo(
    () => orders.filter((o) => o.status !== 'cancelled').reduce((sum, o) => sum + o.total.amount, 0),
    [orders],
  );

  if (error) {
    return (
      <div role="alert">
        <p>Could not load your orders.</p>
        <button type="button" onClick={reload}>
          Retry
        </button>
      </div>
    );
  }

  return (
    <section aria-busy={loading}>
      <h2>Your orders</h2>
      <select value={status ?? ''} onChange={(e) => setStatus((e.target.value || undefined) as OrderStatus | undefined)}>
        <option value="">All</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      {loading ? (
        <p>Loading orders…</p>
      ) : orders.length === 0 ? (
        <p>No orders yet.</p>
      ) : (
        <table>
          <tbody>
            {orders.map((order) => (
              <OrderRow key={order.id} order={order} onSelect={onSelect} />
            ))}
          </tbody>
        </table>
      )}
      <p data-testid="total-spent">Total: {ONCE.formatMoney(ONCE.money(totalSpent))}</p>
    </section>
  );
};
