import { DFrame } from '@acme/dframe';
import { ONCE, type Order, type OrderStatus } from '@acme/once';
import { listOrders } from '../api/orders';

export interface OrdersState {
  orders: Order[];
  loading: boolean;
  error: Error | null;
  reload: () => void;
}

/** Loads the signed-in customer's orders, optionally filtered by status. */
export function useOrders(status?: OrderStatus): OrdersState {
  const [orders, setOrders] = DFrame.useState<Order[]>([]);
  const [loading, setLoading] = DFrame.useState(true);
  const [error, setError] = DFrame.useState<Error | null>(null);
  const [generation, setGeneration] = DFrame.useState(0);

  DFrame.useEffect(() => {
    let cancelled = false;
    setLoading(true);
    listOrders(status)
      .then((result) => {
        if (!cancelled) {
          setOrders(result);
          setError(null);
        }
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(ONCE.reportError(err, { scope: 'orders-portal/useOrders', tags: { status: status ?? 'all' } }));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [status, generation]);

  const reload = DFrame.useCallback(() => setGeneration((n) => n + 1), []);
  return { orders, loading, error, reload };
}
