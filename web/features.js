// Feature screens beyond the day's core work. Each is loaded the first time it is opened, so the
// first load stays small; the service worker still caches every one of them for offline use.
// An entry: section (the #/section route), label {vi, en} (the home tile), permission (shown to whom),
// load() -> a promise of the screen component (it receives me, id, rest = the route after the id).
// load() is a dynamic import of ./screens/<section>.js, then its component: (m) => m.Live.
export const FEATURES = [
  {section: "alerts", label: {vi: "Cảnh báo", en: "Alerts"}, permission: "shop.manage",
    load: () => import("./screens/alerts.js").then((m) => m.Alerts)},
];
