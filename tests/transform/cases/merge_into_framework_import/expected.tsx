import { DFrame } from '@acme/dframe';
import { type Order, ONCE } from '@acme/once';

export const Orders: DFrame.FC = () => {
  const [orders, setOrders] = DFrame.useState<Order[]>([]);
  DFrame.useEffect(() => {
    void ONCE.apiClient.get<Order[]>('/orders').then((res) => setOrders(res.data));
  }, []);
  return <p>{orders.length}</p>;
};
