// Words, money and times. Vietnamese first, English second; `t(key, vars)` reads the current language.
const vi = {
  signIn: "Đăng nhập", byPassword: "Mật khẩu", byPin: "Mã PIN", email: "Email", password: "Mật khẩu",
  signInButton: "Đăng nhập", badLogin: "Sai email hoặc mật khẩu.", who: "Nhân viên", pin: "Mã PIN", hello: "Xin chào,", shop: "Cửa hàng",
  role: "Vai trò", emailLabel: "Email", signOut: "Đăng xuất", useAsCounter: "Dùng máy này làm máy quầy",
  deviceRegistered: "Máy này đã là máy quầy: nhân viên có thể đăng nhập bằng mã PIN.",
  pinNeedsDevice: "Chỉ dùng trên máy quầy đã được quản lý đăng ký.",
  noDevice: "Máy này chưa được đăng ký làm máy quầy. Quản lý đăng nhập bằng mật khẩu trên máy này và bấm “Dùng máy này làm máy quầy”.",
  noPinStaff: "Chưa có nhân viên nào có mã PIN. Quản lý vào Nhân viên, chọn từng người và đặt mã PIN 4–6 số.",
  issueInvoice: "Xuất hóa đơn", shipParcel: "Gửi hàng",
  split: "Tách kiện", splitFirst: "Kiện 1 gửi từ", splitSecond: "Kiện 2 gửi từ", splitOf: "kiện 1 lấy bao nhiêu trong {n}",
  staff: "Nhân viên", addStaff: "Thêm nhân viên", staffLocations: "Làm việc tại (để trống: mọi nơi)",
  allLocations: "mọi địa điểm", hasPin: "có mã PIN", noPin: "chưa có mã PIN", setPin: "Đặt mã PIN", newPin: "Mã PIN mới (4–6 số)",
  pause: "Tạm khóa", resume: "Mở lại", paused: "đang khóa",
  offline: "Không có kết nối mạng.", failed: "Có lỗi, vui lòng thử lại.", loading: "Đang tải…",
  home: "Trang chủ", orders: "Đơn hàng", pack: "Đóng gói", pos: "Bán quầy", stock: "Kho",
  held: "Cần xử lý", all: "Tất cả", allChannels: "Mọi kênh", search: "Tìm", searchOrders: "SĐT, tên hoặc mã đơn",
  noOrders: "Không có đơn nào.", refresh: "Tải lại", pullToRefresh: "Thả để tải lại", newOrder: "Tạo đơn",
  pending: "Chờ gửi", pendingSales: "{n} đơn bán chờ gửi", failedSales: "{n} đơn không gửi được",
  discard: "Bỏ", back: "Quay lại", close: "Đóng", save: "Lưu", cancel: "Hủy", ok: "Đã hiểu",
  customer: "Khách hàng", recipient: "Người nhận", payment: "Thanh toán", lines: "Sản phẩm", timeline: "Lịch sử",
  warnings: "Cảnh báo", howToFix: "Cách xử lý", subtotal: "Tạm tính", discount: "Giảm giá", shippingFee: "Phí giao hàng",
  total: "Tổng cộng", paid: "Đã trả", phone: "Số điện thoại", name: "Tên", address: "Địa chỉ", note: "Ghi chú",
  confirmAt: "Xác nhận tại", autoLocation: "Tự chọn kho phù hợp", reason: "Lý do", amount: "Số tiền", method: "Hình thức",
  cancelOrder: "Hủy đơn", cancelReason: "Lý do hủy (bắt buộc)", markPaid: "Đã thanh toán", changedReload: "Tải lại đơn",
  fixRecipient: "Sửa người nhận", staffId: "NV", via: "qua",
  act_confirm: "Xác nhận đơn", act_pack: "Đóng gói", act_mark_ready: "Sẵn sàng giao", act_hand_over: "Giao vận chuyển",
  act_complete: "Hoàn thành", act_cancel: "Hủy đơn", act_return: "Nhận hàng hoàn", act_mark_paid: "Đánh dấu đã trả",
  act_create: "Tạo đơn", act_update: "Cập nhật", act_split: "Tách đơn", act_hold_expired: "Hết hạn giữ hàng",
  "act_shipment.update": "Cập nhật vận chuyển", act_customer_merged: "Gộp khách",
  "act_shipment.carrier": "Hãng vận chuyển cập nhật", "act_shipment.cod_paid": "Hãng đã trả tiền thu hộ",
  channel: "Kênh", productSearch: "Tìm sản phẩm (tên, SKU) hoặc quét mã", add: "Thêm", remove: "Xóa",
  quantity: "Số lượng", price: "Giá", customerPhone: "SĐT khách", customerName: "Tên khách",
  knownCustomer: "Khách cũ: {name} · {orders} đơn · {spend}", newCustomer: "Khách mới",
  sameAsCustomer: "Người nhận là khách hàng", paidAlready: "Khách đã thanh toán", createOrder: "Tạo đơn",
  emptyCart: "Chưa có sản phẩm.", notFoundCode: "Không tìm thấy sản phẩm có mã {code}.",
  toPack: "Chờ đóng gói", packing: "Đang đóng gói", startPacking: "Bắt đầu đóng gói", scanHint: "Quét từng sản phẩm",
  camera: "Quét bằng camera", typeCode: "Nhập mã vạch", scanned: "Đã quét", takeOut: "Lấy sản phẩm này ra khỏi kiện.", allScanned: "Đã quét đủ hàng.",
  printSlip: "In phiếu đóng gói", handOver: "Giao cho vận chuyển", carrier: "Đơn vị vận chuyển", tracking: "Mã vận đơn",
  cameraFailed: "Không mở được camera.", nothingToPack: "Không có đơn chờ đóng gói.",
  sellAt: "Bán tại", cash: "Tiền mặt", transfer: "Chuyển khoản", given: "Khách đưa", change: "Tiền thừa",
  checkout: "Thanh toán {total}", received: "Đã nhận tiền", sold: "Đã bán xong", soldOffline: "Đã lưu: sẽ gửi khi có mạng.",
  printReceipt: "In hóa đơn", newSale: "Đơn mới", inStock: "Còn {n}", lastKnown: "lúc {time}", notEnoughCash: "Khách đưa chưa đủ.",
  noBank: "Chưa cài tài khoản ngân hàng (Trang chủ → Tài khoản nhận tiền).", scanToPay: "Quét mã để chuyển {total}",
  catalogReady: "Danh mục sẵn sàng ({n} mã)", noPosLocation: "Bạn chưa được gán cửa hàng có quầy bán.",
  stockSearch: "Nhập SKU, tên hoặc quét mã", location: "Nơi", onHand: "Tồn", reserved: "Giữ", available: "Có thể bán",
  incoming: "Đang về", totals: "Tổng", ledger: "Biến động gần đây", receive: "Nhập hàng", adjust: "Điều chỉnh",
  transfer_: "Chuyển kho", delta: "Thay đổi (+/-)", unitCost: "Giá vốn", cost: "Giá vốn", from: "Từ", to: "Đến",
  done: "Đã lưu.", noStock: "Chưa có tồn kho.",
  bankTitle: "Tài khoản nhận tiền (VietQR)", bankBin: "Mã ngân hàng (BIN)", bankAccount: "Số tài khoản", bankName: "Tên chủ tài khoản",
  shortcuts: "Việc cần làm",
  status: {pending_payment: "Chờ thanh toán", new: "Chờ xác nhận", confirmed: "Đã xác nhận", packing: "Đang đóng gói",
    ready_to_ship: "Chờ giao", shipping: "Đang giao", completed: "Hoàn thành", canceled: "Đã hủy", returning: "Đang hoàn",
    returned: "Đã hoàn"},
  pay: {unpaid: "Chưa trả", paid: "Đã trả", partially_paid: "Trả một phần", refunded: "Đã hoàn tiền"},
  methods: {cash: "Tiền mặt", bank_transfer: "Chuyển khoản", cod: "COD (thu hộ)", card: "Thẻ", e_wallet: "Ví điện tử"},
  channels: {pos: "Tại quầy", website: "Website", facebook: "Facebook", zalo: "Zalo", tiktok: "TikTok", instagram: "Instagram",
    livestream: "Livestream", telesales: "Telesales", collaborator: "Cộng tác viên", phone: "Điện thoại", shopee: "Shopee",
    lazada: "Lazada", tiktok_shop: "TikTok Shop", other: "Khác"},
  warn: {out_of_stock: "Hết hàng", product_not_linked: "Sản phẩm chưa liên kết SKU", incomplete_recipient: "Thiếu thông tin người nhận",
    cancel_requested: "Khách yêu cầu hủy", hold_expired: "Hết hạn giữ hàng"},
  fix: {out_of_stock: "Nhập thêm hàng, chuyển kho, hoặc xác nhận tại kho khác.", product_not_linked: "Liên kết dòng hàng với một SKU của shop.",
    incomplete_recipient: "Thêm số điện thoại và địa chỉ người nhận.", cancel_requested: "Khách muốn hủy: hủy đơn hoặc liên hệ khách.",
    hold_expired: "Hết thời gian giữ hàng chưa thanh toán, hàng đã được trả lại kho; xác nhận lại khi khách trả tiền."},
  kinds: {receipt: "Nhập hàng", sale: "Bán", shipment: "Xuất giao", return: "Hoàn", adjustment: "Điều chỉnh",
    transfer_out: "Chuyển đi", transfer_in: "Chuyển đến", stocktake: "Kiểm kê"},
  reasons: {damaged: "Hư hỏng", lost: "Mất", found: "Tìm thấy", expired: "Hết hạn", correction: "Sửa sai", gift: "Tặng",
    internal_use: "Dùng nội bộ"},
  roles: {owner: "Chủ cửa hàng", manager: "Quản lý", cashier: "Thu ngân", sales: "Bán hàng", warehouse: "Kho",
    livestream: "Livestream", customer_care: "Chăm sóc khách hàng", accountant: "Kế toán"},
  problem: {0: "Không có kết nối mạng.", 400: "Thông tin chưa hợp lệ.", 401: "Phiên đăng nhập đã hết, vui lòng đăng nhập lại.",
    403: "Bạn không có quyền làm việc này.", 404: "Không tìm thấy.", 409: "Không thực hiện được do xung đột dữ liệu.",
    413: "Dữ liệu quá lớn.", 422: "Yêu cầu này đã được gửi trước đó với nội dung khác.", 429: "Thử quá nhiều lần, vui lòng đợi một lát.",
    500: "Máy chủ gặp lỗi, vui lòng thử lại.", 503: "Hệ thống đang bận, vui lòng thử lại."},
  fields: {"customer.phone": "SĐT khách", "shipping_address.phone": "SĐT người nhận", location_id: "Nơi bán", discount: "Giảm giá",
    reason: "Lý do", email: "Email", password: "Mật khẩu", lines: "Sản phẩm", code: "Mã", delta: "Thay đổi", sku: "SKU",
    quantity: "Số lượng"},
};

const en = {
  signIn: "Sign in", byPassword: "Password", byPin: "PIN", email: "Email", password: "Password",
  signInButton: "Sign in", badLogin: "Wrong email or password.", who: "Staff member", pin: "PIN", hello: "Hello,", shop: "Shop", role: "Role",
  emailLabel: "Email", signOut: "Sign out", useAsCounter: "Use this device as a counter device",
  deviceRegistered: "This is a counter device: staff can sign in with their PIN.",
  pinNeedsDevice: "Only on a counter device registered by a manager.",
  noDevice: "This device is not a registered counter device. A manager signs in with a password here and taps “Use this device as a counter device”.",
  noPinStaff: "No staff member has a PIN yet. A manager opens Staff, picks each person and sets a 4–6 digit PIN.",
  issueInvoice: "Issue invoice", shipParcel: "Ship",
  split: "Split", splitFirst: "Parcel 1 ships from", splitSecond: "Parcel 2 ships from", splitOf: "how many of {n} in parcel 1",
  staff: "Staff", addStaff: "Add a staff member", staffLocations: "Works at (none: everywhere)",
  allLocations: "every location", hasPin: "has a PIN", noPin: "no PIN yet", setPin: "Set PIN", newPin: "New PIN (4–6 digits)",
  pause: "Pause", resume: "Resume", paused: "paused",
  offline: "No network connection.", failed: "Something went wrong, please try again.", loading: "Loading…",
  home: "Home", orders: "Orders", pack: "Pack", pos: "Counter", stock: "Stock",
  held: "Needs action", all: "All", allChannels: "All channels", search: "Search", searchOrders: "Phone, name or order id",
  noOrders: "No orders.", refresh: "Refresh", pullToRefresh: "Release to refresh", newOrder: "New order",
  pending: "Pending", pendingSales: "{n} sales waiting to be sent", failedSales: "{n} sales could not be sent",
  discard: "Discard", back: "Back", close: "Close", save: "Save", cancel: "Cancel", ok: "Got it",
  customer: "Customer", recipient: "Recipient", payment: "Payment", lines: "Items", timeline: "Timeline",
  warnings: "Warnings", howToFix: "How to fix", subtotal: "Subtotal", discount: "Discount", shippingFee: "Shipping fee",
  total: "Total", paid: "Paid", phone: "Phone", name: "Name", address: "Address", note: "Note",
  confirmAt: "Confirm at", autoLocation: "Best location automatically", reason: "Reason", amount: "Amount", method: "Method",
  cancelOrder: "Cancel order", cancelReason: "Reason (required)", markPaid: "Paid", changedReload: "Reload the order",
  fixRecipient: "Fix recipient", staffId: "Staff", via: "via",
  act_confirm: "Confirm", act_pack: "Pack", act_mark_ready: "Ready to ship", act_hand_over: "Hand over",
  act_complete: "Complete", act_cancel: "Cancel order", act_return: "Receive return", act_mark_paid: "Mark paid",
  act_create: "Created", act_update: "Updated", act_split: "Split", act_hold_expired: "Hold expired",
  "act_shipment.update": "Shipment updated", act_customer_merged: "Customer merged",
  "act_shipment.carrier": "Carrier update", "act_shipment.cod_paid": "Carrier paid the COD",
  channel: "Channel", productSearch: "Find a product (name, SKU) or scan", add: "Add", remove: "Remove",
  quantity: "Quantity", price: "Price", customerPhone: "Customer phone", customerName: "Customer name",
  knownCustomer: "Known customer: {name} · {orders} orders · {spend}", newCustomer: "New customer",
  sameAsCustomer: "Recipient is the customer", paidAlready: "Customer has paid", createOrder: "Create order",
  emptyCart: "No items yet.", notFoundCode: "No product with code {code}.",
  toPack: "To pack", packing: "Packing", startPacking: "Start packing", scanHint: "Scan each item",
  camera: "Scan with camera", typeCode: "Type a barcode", scanned: "Scanned", takeOut: "Take this item out of the parcel.", allScanned: "Every item is scanned.",
  printSlip: "Print packing slip", handOver: "Hand over to carrier", carrier: "Carrier", tracking: "Tracking number",
  cameraFailed: "Could not open the camera.", nothingToPack: "Nothing to pack.",
  sellAt: "Selling at", cash: "Cash", transfer: "Bank transfer", given: "Cash given", change: "Change",
  checkout: "Charge {total}", received: "Money received", sold: "Sale done", soldOffline: "Saved: it will be sent when online.",
  printReceipt: "Print receipt", newSale: "New sale", inStock: "{n} in stock", lastKnown: "as of {time}", notEnoughCash: "Not enough cash given.",
  noBank: "No bank account set (Home → Payment account).", scanToPay: "Scan to transfer {total}",
  catalogReady: "Catalog ready ({n} SKUs)", noPosLocation: "You are not assigned to a store with a counter.",
  stockSearch: "SKU, name or scan", location: "Location", onHand: "On hand", reserved: "Reserved", available: "Available",
  incoming: "Incoming", totals: "Total", ledger: "Recent movements", receive: "Receive", adjust: "Adjust",
  transfer_: "Transfer", delta: "Change (+/-)", unitCost: "Unit cost", cost: "Cost", from: "From", to: "To",
  done: "Saved.", noStock: "No stock yet.",
  bankTitle: "Payment account (VietQR)", bankBin: "Bank BIN", bankAccount: "Account number", bankName: "Account holder",
  shortcuts: "Shortcuts",
  status: {pending_payment: "Awaiting payment", new: "To confirm", confirmed: "Confirmed", packing: "Packing",
    ready_to_ship: "Ready to ship", shipping: "Shipping", completed: "Completed", canceled: "Canceled", returning: "Returning",
    returned: "Returned"},
  pay: {unpaid: "Unpaid", paid: "Paid", partially_paid: "Partly paid", refunded: "Refunded"},
  methods: {cash: "Cash", bank_transfer: "Bank transfer", cod: "Cash on delivery", card: "Card", e_wallet: "E-wallet"},
  channels: {...vi.channels, pos: "Counter", phone: "Phone", collaborator: "Collaborator", other: "Other"},
  warn: {out_of_stock: "Out of stock", product_not_linked: "Product not linked", incomplete_recipient: "Recipient incomplete",
    cancel_requested: "Buyer asked to cancel", hold_expired: "Hold expired"},
  fix: {},
  kinds: {receipt: "Receipt", sale: "Sale", shipment: "Shipment", return: "Return", adjustment: "Adjustment",
    transfer_out: "Transfer out", transfer_in: "Transfer in", stocktake: "Stocktake"},
  reasons: {damaged: "Damaged", lost: "Lost", found: "Found", expired: "Expired", correction: "Correction", gift: "Gift",
    internal_use: "Internal use"},
  roles: {owner: "Owner", manager: "Manager", cashier: "Cashier", sales: "Sales", warehouse: "Warehouse",
    livestream: "Livestream", customer_care: "Customer care", accountant: "Accountant"},
  problem: {0: "No network connection.", 400: "Invalid request.", 401: "Your session has ended, please sign in again.",
    403: "You are not allowed to do this.", 404: "Not found.", 409: "Conflict.", 500: "Server error, please try again.",
    503: "Busy, please try again."},
  fields: {},
};

const DICTS = {vi, en};

/** A feature screen brings its own words when it loads (keeps them out of the first load). */
export function addWords(words) {
  for (const [code, dict] of Object.entries(words)) Object.assign(DICTS[code], dict);
}
export let lang = localStorage.getItem("quay.lang") || "vi";
export function setLang(next) { lang = next; localStorage.setItem("quay.lang", next); document.documentElement.lang = next; }

/** The word for `key` ("status.new" reaches into groups) or null; English falls back to Vietnamese. */
export function maybe(key, vars, {fallback = true} = {}) {
  const dot = key.indexOf(".");
  const look = (dict) => (key in dict ? dict[key] : dot > 0 ? (dict[key.slice(0, dot)] || {})[key.slice(dot + 1)] : undefined);
  let text = look(DICTS[lang]);
  if (text == null && fallback) text = look(vi);
  if (text == null) return null;
  return vars ? String(text).replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? "")) : text;
}

/** The word for `key`, or the key itself when there is none. */
export function t(key, vars) { return maybe(key, vars) ?? key; }

/** Whole VND with dots: 1250000 -> "1.250.000 ₫". */
export function money(amount) {
  const n = Math.trunc(Number(amount) || 0);
  return (n < 0 ? "-" : "") + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫";
}

let zone = "Asia/Ho_Chi_Minh";
export function setTimeZone(tz) { if (tz) zone = tz; }

/** A UTC ISO time in the shop's time zone, e.g. "14:05 02/12/2025". */
export function when(iso, {timeOnly = false} = {}) {
  if (!iso) return "";
  const date = new Date(iso);
  const opts = timeOnly ? {hour: "2-digit", minute: "2-digit"} :
    {hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric"};
  try { return new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {...opts, timeZone: zone}).format(date); }
  catch { return date.toLocaleString(); }
}

/** Accent-insensitive, lower-case text for local search ("Áo thun" -> "ao thun"). */
export function fold(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}
