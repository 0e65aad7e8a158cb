"use strict";

Object.defineProperty(exports, "__esModule", { value: true });
exports.Toggle = Toggle;
const { DFrame } = require("@acme/dframe");
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
function Toggle() {
  const [on, setOn] = DFrame.useState(false);
  return /*#__PURE__*/DFrame.createElement("button", { onClick: () => setOn(!on) }, on ? "on" : "off");
}
