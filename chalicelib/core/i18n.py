"""The API answers in the staff member's language: Vietnamese unless `Accept-Language` prefers
English. Messages are written in English where they are raised (one source of truth, greppable)
and translated here, once, when the problem is rendered; the stable `code` never changes."""
import re

DEFAULT = "vi"
SUPPORTED = ("vi", "en")

STATUS_VI = {"pending_payment": "chờ thanh toán", "new": "chờ xác nhận", "confirmed": "đã xác nhận",
             "packing": "đang đóng gói", "ready_to_ship": "chờ giao", "shipping": "đang giao",
             "completed": "hoàn thành", "canceled": "đã hủy", "returning": "đang hoàn", "returned": "đã hoàn",
             "active": "đang giữ", "released": "đã nhả", "committed": "đã xuất", "expired": "hết hạn",
             "in_transit": "đang chuyển", "received": "đã nhận", "partially_received": "nhận một phần"}

TITLE_VI = {
    "Invalid request": "Yêu cầu không hợp lệ", "Not authenticated": "Chưa đăng nhập",
    "Not permitted": "Không có quyền", "Not found": "Không tìm thấy", "Not enough stock": "Không đủ hàng",
    "Not allowed in this status": "Không thể thực hiện ở trạng thái này", "Changed by someone else": "Đã bị người khác thay đổi",
    "Conflict": "Xung đột", "Request too large": "Yêu cầu quá lớn", "Unsupported media type": "Định dạng không được hỗ trợ",
    "Idempotency key reused": "Idempotency-Key đã dùng cho yêu cầu khác", "Too many attempts": "Thử quá nhiều lần",
    "Busy, try again": "Hệ thống đang bận, hãy thử lại", "Internal error": "Lỗi hệ thống",
    "Method not allowed": "Phương thức không được hỗ trợ", "Unknown route": "Không có đường dẫn này",
}

DETAIL_VI = {
    "A SKU appears on more than one line; put it on one line.": "Một SKU xuất hiện ở nhiều dòng; hãy gộp vào một dòng.",
    "A count cannot be in the future.": "Thời điểm kiểm kê không thể ở tương lai.",
    "A counter sale needs the location it is sold at.": "Đơn bán tại quầy cần chọn cửa hàng bán.",
    "A customer cannot be merged into itself.": "Không thể gộp khách hàng vào chính nó.",
    "A discount is larger than the amount it discounts.": "Chiết khấu lớn hơn số tiền được chiết khấu.",
    "A line whose product is not linked needs its unit_price.": "Dòng chưa liên kết sản phẩm cần có đơn giá.",
    "A path parameter is too long.": "Tham số trên đường dẫn quá dài.",
    "A transfer needs two different locations.": "Chuyển kho cần hai địa điểm khác nhau.",
    "Fix the order's warnings before confirming it.": "Hãy xử lý các cảnh báo của đơn trước khi xác nhận.",
    "Idempotency-Key must be 1-128 printable characters.": "Idempotency-Key phải có 1-128 ký tự in được.",
    "No such alert.": "Không tìm thấy cảnh báo.", "No such push subscription.": "Không tìm thấy đăng ký thông báo.",
    "The Telegram bot is not configured on this deployment.": "Hệ thống chưa cấu hình bot Telegram.",
    "The Telegram webhook secret is missing or wrong.": "Thiếu hoặc sai mã bí mật của webhook Telegram.",
    "The Telegram update is not valid JSON.": "Bản cập nhật Telegram không phải JSON hợp lệ.",
    "The Telegram update must be a JSON object.": "Bản cập nhật Telegram phải là một đối tượng JSON.",
    "The alert settings were changed meanwhile; reload and retry.": "Cài đặt cảnh báo vừa bị thay đổi; hãy tải lại và thử lại.",
    "The push subscription is invalid.": "Đăng ký thông báo không hợp lệ.",
    "No such customer.": "Không tìm thấy khách hàng.", "No such location.": "Không tìm thấy địa điểm.",
    "No such order.": "Không tìm thấy đơn hàng.", "No such product.": "Không tìm thấy sản phẩm.",
    "No such reservation.": "Không tìm thấy phiếu giữ hàng.", "No such shipment.": "Không tìm thấy kiện hàng.",
    "No such staff member.": "Không tìm thấy nhân viên.", "No such transfer.": "Không tìm thấy phiếu chuyển kho.",
    "No such variant in this product.": "Sản phẩm không có biến thể này.",
    "No variant with this code.": "Không có sản phẩm nào mang mã này.",
    "One of these customers was already merged.": "Một trong hai khách hàng đã được gộp trước đó.",
    "Only a new order can be split.": "Chỉ đơn chờ xác nhận mới tách được.",
    "Only an unlinked line can be linked.": "Chỉ dòng chưa liên kết mới liên kết được.",
    "Only the owner can change the owner's account.": "Chỉ chủ shop mới sửa được tài khoản chủ shop.",
    "Say why the order is canceled.": "Hãy nêu lý do hủy đơn.",
    "Scan every item before marking the order ready (or confirm you checked it by hand).":
        "Hãy quét đủ từng sản phẩm trước khi báo sẵn sàng giao (hoặc xác nhận đã kiểm tay).",
    "Some fields are invalid.": "Một số trường không hợp lệ.",
    "Some lines name a SKU this shop does not have.": "Một số dòng có SKU mà shop không có.",
    "Some query parameters are invalid.": "Một số tham số truy vấn không hợp lệ.",
    "Something this request depends on changed at the same moment; reload and retry.":
        "Dữ liệu liên quan vừa thay đổi cùng lúc; hãy tải lại và thử lại.",
    "Stock is changing fast at this location; please retry.": "Tồn kho ở địa điểm này đang thay đổi liên tục; hãy thử lại.",
    "The CSV header is missing columns.": "Dòng tiêu đề CSV thiếu cột.", "The CSV must be UTF-8.": "Tệp CSV phải mã hóa UTF-8.",
    "The body is not valid JSON.": "Nội dung không phải JSON hợp lệ.", "The body must be a JSON object.": "Nội dung phải là một đối tượng JSON.",
    "The body nests too deeply.": "Nội dung JSON lồng nhau quá sâu.",
    "The cursor is not valid.": "Con trỏ phân trang không hợp lệ.",
    "The order changed since you loaded it; reload it.": "Đơn đã thay đổi từ lúc bạn mở; hãy tải lại.",
    "The refresh token is not valid; sign in again.": "Phiên đăng nhập không hợp lệ; hãy đăng nhập lại.",
    "The return is already on its way; receive it.": "Hàng hoàn đang trên đường về; hãy nhận hàng.",
    "The session has ended; sign in again.": "Phiên đăng nhập đã kết thúc; hãy đăng nhập lại.",
    "The shipments must together hold exactly the order's lines.": "Các kiện phải chứa đúng các dòng của đơn.",
    "The token has expired; sign in again.": "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.",
    "The token is not valid.": "Mã đăng nhập không hợp lệ.", "These fields cannot be null.": "Các trường này không được để trống.",
    "These lines cannot be received.": "Không thể nhận các dòng này.", "These lines cannot be returned.": "Không thể hoàn các dòng này.",
    "This is not a phone number.": "Đây không phải số điện thoại.", "This phone number has the wrong length.": "Số điện thoại sai độ dài.",
    "This reservation id is already used for other lines.": "Mã giữ hàng này đã dùng cho các dòng khác.",
    "This shop has no such SKU.": "Shop không có SKU này.", "This ward is not in that province.": "Phường/xã này không thuộc tỉnh đó.",
    "Too many people are changing the same items right now; please retry.": "Nhiều người đang sửa cùng lúc; hãy thử lại.",
    "Type at least 3 digits.": "Hãy nhập ít nhất 3 chữ số.", "Unknown channel.": "Kênh không tồn tại.",
    "Unknown location.": "Địa điểm không tồn tại.", "Use 'Authorization: Bearer <access_token>'.": "Hãy gửi 'Authorization: Bearer <access_token>'.",
    "Variants repeat a SKU or barcode.": "Các biến thể bị trùng SKU hoặc mã vạch.", "Wrong PIN.": "Sai mã PIN.",
    "Wrong email or password.": "Sai email hoặc mật khẩu.", "You are not assigned to this location.": "Bạn không được phân công ở địa điểm này.",
    "You cannot change your own role.": "Bạn không thể tự đổi vai trò của mình.", "You cannot deactivate yourself.": "Bạn không thể tự khóa tài khoản của mình.",
    "You cannot change your own locations.": "Bạn không thể tự đổi địa điểm của mình.",
    "Sign in first.": "Hãy đăng nhập trước.",
    "The cash given is less than the total.": "Tiền khách đưa ít hơn tổng tiền.",
    "Unknown time zone.": "Múi giờ không tồn tại.",
    "None of your locations can ship this order.": "Không địa điểm nào của bạn giao được đơn này.",
    "You can only assign your own locations.": "Bạn chỉ giao được các địa điểm của chính bạn.",
    "Only the owner can change a manager's account.": "Chỉ chủ shop mới sửa được tài khoản quản lý.",
    "This account works outside your locations.": "Tài khoản này làm việc ngoài các địa điểm của bạn.", "There is no route here.": "Không có đường dẫn này.",
    "Something went wrong on our side. Please try again.": "Hệ thống gặp lỗi. Hãy thử lại.",
    "This Idempotency-Key was already used with a different request body.": "Idempotency-Key này đã dùng với nội dung khác.",
    "No location serving this channel can fill every line.": "Không kho nào phục vụ kênh này đủ hàng cho mọi dòng.",
}

# Messages with values in them: (English pattern, Vietnamese template using the groups).
PATTERNS_VI = [(re.compile(english), vietnamese) for english, vietnamese in (
    (r"^A (\w+) order can no longer be changed\.$", "Đơn {status0} không thể thay đổi nữa."),
    (r"^A (\w+) order is not being packed\.$", "Đơn {status0} không ở bước đóng gói."),
    (r"^Cannot (\w+) a reservation that is (\w+)\.$", "Không thể {1} phiếu giữ hàng {status1}."),
    (r"^Too many: (.+) needs only (\d+)\.$", "Thừa hàng: {0} chỉ cần {1}."),
    (r"^Wrong item: (.+) is not in this parcel\.$", "Sai hàng: {0} không thuộc kiện này."),
    (r"^Your role \((\w+)\) does not allow '(.+)'\.$", "Vai trò của bạn ({0}) không được phép '{1}'."),
    (r"^Unknown action '(.+)'\.$", "Thao tác '{0}' không tồn tại."),
    (r"^Too many failed attempts; try again in (\d+) minutes\.$", "Thử sai quá nhiều lần; hãy thử lại sau {0} phút."),
    (r"^The body is (\d+) bytes; the limit is (\d+)\.$", "Nội dung dài {0} byte; giới hạn là {1}."),
    (r"^Send this body as (.+), not (.+)\.$", "Hãy gửi nội dung dạng {0}, không phải {1}."),
    (r"^At most (\d+) rows per import\.$", "Mỗi lần nhập tối đa {0} dòng."),
    (r"^Too many lines in one request \(at most (\d+)\)\.$", "Quá nhiều dòng trong một yêu cầu (tối đa {0})."),
    (r"^Only the owner can give the role '(.+)'\.$", "Chỉ chủ shop mới giao được vai trò '{0}'."),
    (r"^Not enough stock of (.+) at this location\.?.*$", "Không đủ hàng {0} ở địa điểm này."),
)]

# pydantic's error types, in Vietnamese (ctx values fill the braces).
FIELD_VI = {
    "missing": "bắt buộc", "extra_forbidden": "trường không được hỗ trợ", "string_too_short": "quá ngắn (tối thiểu {min_length})",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)", "too_short": "quá ít (tối thiểu {min_length})",
    "too_long": "quá nhiều (tối đa {max_length})", "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải từ {ge} trở lên", "less_than": "phải nhỏ hơn {lt}", "less_than_equal": "tối đa {le}",
    "int_parsing": "phải là số nguyên", "int_type": "phải là số nguyên", "int_from_float": "phải là số nguyên",
    "string_type": "phải là chuỗi", "bool_type": "phải là true/false", "bool_parsing": "phải là true/false",
    "list_type": "phải là danh sách", "dict_type": "phải là đối tượng", "model_type": "phải là đối tượng",
    "enum": "phải là một trong: {expected}", "literal_error": "phải là một trong: {expected}",
    "string_pattern_mismatch": "sai định dạng", "value_error": "không hợp lệ", "date_from_datetime_parsing": "phải là ngày YYYY-MM-DD",
    "date_parsing": "phải là ngày YYYY-MM-DD", "datetime_parsing": "phải là thời gian ISO 8601", "json_invalid": "JSON không hợp lệ",
}


def language(accept_language: str | None) -> str:
    """The first supported language in the header's preference order (q-values honoured)."""
    if not accept_language:
        return DEFAULT
    ranked = []
    for n, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:  # q=0 (or a broken q) means "not this one"
            ranked.append((-quality, n, tag.strip().lower().split("-")[0]))
    for _, _, tag in sorted(ranked):
        if tag in SUPPORTED:
            return tag
    return DEFAULT


def _status(word: str) -> str:
    return STATUS_VI.get(word, word)


def detail(text: str, lang: str) -> str:
    if lang != "vi":
        return text
    if text in DETAIL_VI:
        return DETAIL_VI[text]
    for pattern, template in PATTERNS_VI:
        match = pattern.match(text)
        if match:
            groups = match.groups()
            return template.format(*groups, **{f"status{n}": _status(g) for n, g in enumerate(groups)})
    return text


def title(text: str, lang: str) -> str:
    return TITLE_VI.get(text, text) if lang == "vi" else text


def field_message(entry: dict, lang: str) -> str:
    """One `errors[]` message: pydantic's own type when we have it, else the raised text."""
    if lang == "vi" and entry.get("code") in FIELD_VI:
        try:
            return FIELD_VI[entry["code"]].format(**(entry.get("ctx") or {}))
        except (KeyError, IndexError):
            return FIELD_VI[entry["code"]].split(" (")[0]
    return detail(entry["message"], lang)
