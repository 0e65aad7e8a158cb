const { DFrame } = require('@acme/dframe');

function Counter() {
  const [n, setN] = DFrame.useState(0);
  return <button onClick={() => setN(n + 1)}>{n}</button>;
}

module.exports = Counter;
