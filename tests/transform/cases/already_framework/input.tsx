import { DFrame } from '@acme/dframe';
import { ONCE, type Order } from '@acme/once';

export const OrderTotal: DFrame.FC<{ orderId: string }> = ({ orderId }) => {
  const [order, setOrder] = DFrame.useState<Order | null>(null);
  DFrame.useEffect(() => {
    ONCE.apiClient
      .get<Order>(`/orders/${orderId}`)
      .then((res) => setOrder(res.data))
      .catch((error: unknown) => ONCE.reportError(error, 'orders/OrderTotal'));
  }, [orderId]);
  return <p>{order ? ONCE.formatMoney(order.total) : '…'}</p>;
};
