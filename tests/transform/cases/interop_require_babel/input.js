"use strict";

Object.defineProperty(exports, "__esModule", { value: true });
exports.Toggle = Toggle;
var _react = _interopRequireDefault(require("react"));
function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }
function Toggle() {
  const [on, setOn] = _react.default.useState(false);
  return /*#__PURE__*/_react.default.createElement("button", { onClick: () => setOn(!on) }, on ? "on" : "off");
}
