// Feature screens beyond the day's core work. Each is loaded the first time it is opened, so the
// first load stays small; the service worker still caches every one of them for offline use.
// An entry: section (the #/section route), label {vi, en} (the home tile), permission (shown to whom),
// load() -> a promise of the screen component (it receives me, id, rest = the route after the id).
// load() is a dynamic import of ./screens/<section>.js, then its component: (m) => m.Live.
export const FEATURES = [
  {section: "shipping", label: {vi: "Gửi hàng · COD", en: "Shipping · COD"}, permission: "orders.view",
    load: () => import("./screens/shipping.js").then((m) => m.Shipping)},
  {section: "invoices", label: {vi: "Hóa đơn điện tử", en: "E-invoices"}, permission: "invoices.view",
    load: () => import("./screens/invoices.js").then((m) => m.Invoices)},
  {section: "reports", label: {vi: "Báo cáo", en: "Reports"}, permission: "reports.view",
    load: () => import("./screens/reports.js").then((m) => m.Reports)},
  {section: "live", label: {vi: "Bán live", en: "Live selling"}, permission: "orders.create",
    load: () => import("./screens/live.js").then((m) => m.Live)},
  {section: "channels", label: {vi: "Kênh bán", en: "Channels"}, permission: "channels.view",
    load: () => import("./screens/channels.js").then((m) => m.Channels)},
  {section: "alerts", label: {vi: "Cảnh báo", en: "Alerts"}, permission: "shop.manage",
    load: () => import("./screens/alerts.js").then((m) => m.Alerts)},
];
