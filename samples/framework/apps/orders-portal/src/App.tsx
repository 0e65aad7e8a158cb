import { DFrame } from '@acme/dframe';
import { ONCE, type OrderId } from '@acme/once';
import { OrderDetails } from './components/OrderDetails';
import { OrderList } from './components/OrderList';

export const App: DFrame.FC = () => {
  const [selected, setSelected] = DFrame.useState<OrderId | null>(null);

  return (
    <main className="orders-portal">
      <h1>Orders</h1>
      <DFrame.ErrorBoundary
        fallback={(error, reset) => <DFrame.DefaultFallback error={error} reset={reset} />}
        onError={(error, path) => ONCE.reportError(error, { scope: 'orders-portal', tags: { path } })}
      >
        {selected === null ? (
          <OrderList onSelect={setSelected} />
        ) : (
          <OrderDetails orderId={selected} onClose={() => setSelected(null)} />
        )}
      </DFrame.ErrorBoundary>
    </main>
  );
};

/** Entry point used by the dev server and the production bundle. */
export function start(baseUrl: string, getToken: () => string | undefined): DFrame.Element {
  ONCE.configure({ baseUrl, getToken });
  const root = DFrame.createRoot();
  const app = <App />;
  root.render(app);
  return app;
}
