import { useState } from 'react';
import { DFrame } from '@acme/dframe';
import { type Order } from '@acme/once';
import axios from 'axios';

export const Orders: DFrame.FC = () => {
  const [orders, setOrders] = useState<Order[]>([]);
  DFrame.useEffect(() => {
    void axios.get<Order[]>('/orders').then((res) => setOrders(res.data));
  }, []);
  return <p>{orders.length}</p>;
};
