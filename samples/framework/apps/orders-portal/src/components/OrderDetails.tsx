import { DFrame } from '@acme/dframe';
import { ONCE, NotFoundError, type Order, type OrderId } from '@acme/once';
import { cancelOrder, getOrder } from '../api/orders';

export interface OrderDetailsProps {
  orderId: OrderId;
  onClose: () => void;
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; order: Order };

export const OrderDetails: DFrame.FC<OrderDetailsProps> = ({ orderId, onClose }) => {
  const [state, setState] = DFrame.useState<LoadState>({ kind: 'loading' });
  const [cancelling, setCancelling] = DFrame.useState(false);
  const headingRef = DFrame.useRef<string | null>(null);

  DFrame.useEffect(() => {
    let active = true;
    getOrder(orderId)
      .then((order) => active && setState({ kind: 'ready', order }))
      .catch((error: unknown) => {
        if (!active) return;
        if (error instanceof NotFoundError) {
          setState({ kind: 'missing' });
        } else {
          setState({ kind: 'failed', error: ONCE.reportError(error, 'orders-portal/OrderDetails') });
        }
      });
    return () => {
      active = false;
    };
  }, [orderId]);

  const onCancel = async (order: Order) => {
    setCancelling(true);
    try {
      const updated = await cancelOrder(order.id, 'customer request');
      setState({ kind: 'ready', order: updated });
    } catch (error) {
      ONCE.reportError(error, { scope: 'orders-portal/cancel', tags: { order: order.number } });
    } finally {
      setCancelling(false);
    }
  };

  if (state.kind === 'loading') return <p>Loading order…</p>;
  if (state.kind === 'missing') return <p role="alert">This order no longer exists.</p>;
  // Unexpected failures propagate to the nearest DFrame.ErrorBoundary.
  if (state.kind === 'failed') throw state.error;

  const { order } = state;
  headingRef.current = `Order ${order.number}`;
  return (
    <article>
      <h2>{headingRef.current}</h2>
      <ul>
        {order.lines.map((line) => (
          <li key={line.productId}>
            {line.quantity} × {line.description} ({ONCE.formatMoney(line.unitPrice)})
          </li>
        ))}
      </ul>
      <p>Total {ONCE.formatMoney(order.total)}</p>
      {order.status === 'placed' || order.status === 'paid' ? (
        <button type="button" disabled={cancelling} onClick={() => void onCancel(order)}>
          Cancel order
        </button>
      ) : null}
      <button type="button" onClick={onClose}>
        Back
      </button>
    </article>
  );
};
