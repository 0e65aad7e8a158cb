"use strict";
var __toESM = (mod, isNodeMode) => (mod && mod.__esModule ? mod : { ...mod, default: mod });
var React = __toESM(require("react"));
var import_store = require("./store");
function useCounter(initial) {
  const [count, setCount] = React.useState(initial);
  React.useEffect(() => import_store.subscribe(setCount), []);
  return count;
}
module.exports = { useCounter };
