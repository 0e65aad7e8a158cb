"use strict";
var __toESM = (mod, isNodeMode) => (mod && mod.__esModule ? mod : { ...mod, default: mod });
var import_store = require("./store");
const { DFrame } = require("@acme/dframe");
function useCounter(initial) {
  const [count, setCount] = DFrame.useState(initial);
  DFrame.useEffect(() => import_store.subscribe(setCount), []);
  return count;
}
module.exports = { useCounter };
