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
             "in_transit": "đang chuyển", "received": "đã nhận", "partially_received": "nhận một phần",
             "draft": "nháp", "issued": "đã phát hành", "replaced": "đã bị thay thế", "adjusted": "đã điều chỉnh"}

TITLE_VI = {
    "Invalid request": "Yêu cầu không hợp lệ", "Not authenticated": "Chưa đăng nhập",
    "Not permitted": "Không có quyền", "Not found": "Không tìm thấy", "Not enough stock": "Không đủ hàng",
    "Not allowed in this status": "Không thể thực hiện ở trạng thái này", "Changed by someone else": "Đã bị người khác thay đổi",
    "Conflict": "Xung đột", "Request too large": "Yêu cầu quá lớn", "Unsupported media type": "Định dạng không được hỗ trợ",
    "Idempotency key reused": "Idempotency-Key đã dùng cho yêu cầu khác", "Too many attempts": "Thử quá nhiều lần",
    "Busy, try again": "Hệ thống đang bận, hãy thử lại", "Internal error": "Lỗi hệ thống",
    "Method not allowed": "Phương thức không được hỗ trợ", "Unknown route": "Không có đường dẫn này",
    "Partner unavailable": "Đối tác đang gián đoạn", "Refused by the partner": "Đối tác từ chối",
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
    # carriers and COD
    "This parcel is not one of this account's.": "Kiện hàng này không thuộc tài khoản vận chuyển này.",
    "Only a packed parcel (ready to ship) can be booked at a carrier.": "Chỉ kiện đã đóng gói xong (chờ giao) mới gửi hãng vận chuyển được.",
    "This parcel is already booked with another carrier account; cancel that booking first.":
        "Kiện này đã gửi qua tài khoản vận chuyển khác; hãy hủy vận đơn đó trước.",
    "This parcel is not booked at a carrier.": "Kiện này chưa có vận đơn ở hãng vận chuyển.",
    "This parcel was booked at the same moment; reload it.": "Kiện này vừa được gửi hãng cùng lúc; hãy tải lại.",
    "A GHN account needs its ShopId.": "Tài khoản GHN cần có ShopId.",
    "Name between 1 and 100 shipments.": "Hãy chọn từ 1 đến 100 kiện.",
    "Send the statement's lines or its CSV.": "Hãy gửi các dòng hoặc tệp CSV của bảng đối soát.",
    "The recipient's address is incomplete for a carrier.": "Địa chỉ người nhận chưa đủ để gửi hãng vận chuyển.",
    "This carrier account is disabled.": "Tài khoản vận chuyển này đã tắt.", "Unknown label size.": "Khổ nhãn không hỗ trợ.",
    "No such COD statement.": "Không tìm thấy bảng đối soát COD.", "No such carrier account.": "Không tìm thấy tài khoản vận chuyển.",
    "A COD statement pays orders at every location; ask someone who works at all of them.":
        "Bảng đối soát COD thanh toán đơn ở mọi địa điểm; hãy nhờ người phụ trách tất cả địa điểm.",
    "The carrier account changed meanwhile; reload and retry.": "Tài khoản vận chuyển vừa bị thay đổi; hãy tải lại và thử lại.",
    "The parcel changed at the same moment.": "Kiện hàng vừa thay đổi cùng lúc.",
    "The statement must be UTF-8 CSV.": "Bảng đối soát phải là CSV mã hóa UTF-8.",
    "Cancel the carrier booking of this parcel first.": "Hãy hủy vận đơn ở hãng vận chuyển của kiện này trước.",
    "This carrier account picks up at another location than this parcel's.":
        "Tài khoản vận chuyển này lấy hàng ở địa điểm khác với kiện này.",
    # e-invoices
    "Set up invoicing (seller, provider, symbol) first.": "Hãy thiết lập hóa đơn điện tử (người bán, nhà cung cấp, ký hiệu) trước.",
    "This order already has an invoice.": "Đơn này đã có hóa đơn.", "No such invoice.": "Không tìm thấy hóa đơn.",
    "Say why.": "Hãy nêu lý do.", "No buyer with this tax code yet.": "Chưa có người mua nào với mã số thuế này.",
    "The e-invoice provider did not answer; send the same request again.":
        "Nhà cung cấp hóa đơn điện tử không phản hồi; hãy gửi lại đúng yêu cầu này.",
    "The e-invoice provider gave no invoice number.": "Nhà cung cấp hóa đơn điện tử không trả số hóa đơn.",
    "This invoice has no XML until it is issued.": "Hóa đơn chưa phát hành nên chưa có XML.",
    "Someone else changed this invoice at the same moment; reload it.": "Hóa đơn vừa được người khác thay đổi; hãy tải lại.",
    "An invoice symbol looks like 1C25TAA: the template digit, C or K, two year digits, a type letter and two letters "
    "the seller chooses.": "Ký hiệu hóa đơn có dạng 1C25TAA: mẫu số, C/K, 2 số năm, 1 chữ loại hóa đơn, 2 chữ do người bán đặt.",
    "The template code starts with a digit from 1 to 9.": "Mẫu số hóa đơn bắt đầu bằng một chữ số từ 1 đến 9.",
    "The symbol's template digit differs from the template code.": "Mẫu số trong ký hiệu khác mẫu số đã khai báo.",
    "The template digit is missing (the first digit, as 1 in 1C25TAA).": "Thiếu mẫu số hóa đơn (chữ số đầu, như 1 của 1C25TAA).",
    "This type of invoice must carry the tax authority's code (C).": "Loại hóa đơn này phải có mã của cơ quan thuế (ký tự C).",
    "The template code is a digit from 1 to 9.": "Mẫu số hóa đơn là một chữ số từ 1 đến 9.",
    "Only cash-register invoices (type M) get a code like this.": "Chỉ hóa đơn khởi tạo từ máy tính tiền (chữ M) mới có mã kiểu này.",
    "The tax authority's cash-register code has 5 characters.": "Mã cơ quan thuế cấp cho máy tính tiền gồm 5 ký tự.",
    "The cash-register sequence has at most 11 digits.": "Số tự tăng của mã máy tính tiền gồm tối đa 11 chữ số.",
    "This symbol has used all its numbers (at most 8 digits); register a new symbol.":
        "Ký hiệu này đã dùng hết dải số (tối đa 8 chữ số); hãy đăng ký ký hiệu mới.",
    "Invalid VAT rate.": "Thuế suất GTGT không hợp lệ.", "The rate is 0, 5, 8, 10, KCT or KKKNT.": "Thuế suất là 0, 5, 8, 10, KCT hoặc KKKNT.",
    "The 8% rate applies only during a VAT reduction.": "Thuế suất 8% chỉ áp dụng trong thời gian giảm thuế GTGT.",
    "Invalid tax code.": "Mã số thuế không hợp lệ.",
    "A tax code is 10 digits, 10 digits and -3 digits, or a 12-digit personal id number.":
        "Mã số thuế gồm 10 chữ số, 10 chữ số kèm -3 chữ số, hoặc số định danh cá nhân 12 chữ số.",
    "The tax code's check digit is wrong.": "Chữ số kiểm tra của mã số thuế không đúng.",
    "A dependent unit's suffix is 001 to 999.": "Mã đơn vị phụ thuộc từ 001 đến 999.",
    "The seller's name is missing.": "Thiếu tên người bán.", "The seller's address is missing.": "Thiếu địa chỉ người bán.",
    "The seller's details are incomplete.": "Thông tin người bán chưa đủ.",
    "With a tax code, the buyer's registered name is required.": "Có mã số thuế thì phải có tên đơn vị/người mua.",
    "With a tax code, the buyer's address is required.": "Có mã số thuế thì phải có địa chỉ người mua.",
    "The buyer's email is not valid.": "Email người mua không hợp lệ.", "The buyer's details are invalid.": "Thông tin người mua không hợp lệ.",
    "The quantity must be more than 0.": "Số lượng phải lớn hơn 0.",
    "The unit price must be a whole, non-negative number of dong.": "Đơn giá phải là số đồng nguyên không âm.",
    "The discount must be a whole, non-negative number of dong.": "Chiết khấu phải là số đồng nguyên không âm.",
    "The order discount must be a whole, non-negative number of dong.": "Chiết khấu đơn hàng phải là số đồng nguyên không âm.",
    "The shipping fee must be a whole, non-negative number of dong.": "Phí vận chuyển phải là số đồng nguyên không âm.",
    "An invoice needs at least one line.": "Hóa đơn phải có ít nhất một dòng hàng.", "The item's name is missing.": "Thiếu tên hàng hóa.",
    "The discount is more than the line's amount.": "Chiết khấu lớn hơn thành tiền của dòng.",
    "The order discount is more than the goods' total.": "Chiết khấu đơn hàng lớn hơn tổng tiền hàng.",
    "An invoice cannot be made from this order.": "Không lập được hóa đơn từ đơn hàng này.",
    "The invoice total is over the limit.": "Tổng tiền hóa đơn vượt giới hạn.",
    "At most 999 999 999 999 dong in total.": "Tổng tiền tối đa 999.999.999.999 đồng.",
    "Say whether the adjustment is of money or of information.": "Hãy nói điều chỉnh về tiền hay về thông tin.",
    "A cash-register invoice needs the tax authority's code.": "Hóa đơn máy tính tiền cần mã của cơ quan thuế.",
    "money or info": "money (tiền) hoặc info (thông tin)", "like M1-25-ABCDE-00000000001": "dạng M1-25-ABCDE-00000000001",
    # live selling
    "No such live session.": "Không tìm thấy phiên live.", "No such comment.": "Không tìm thấy bình luận.",
    "This live session has ended.": "Phiên live đã kết thúc.",
    "A live session needs at least one item.": "Phiên live cần ít nhất một sản phẩm.",
    "This SKU is not in the live session.": "SKU này không có trong phiên live.",
    "Choose at least one line or dismiss the comment.": "Hãy chọn ít nhất một sản phẩm hoặc bỏ qua bình luận.",
    "Only a comment waiting for review can be fixed.": "Chỉ sửa được bình luận đang chờ xem lại.",
    "Someone else fixed this comment at the same moment; reload it.": "Người khác vừa sửa bình luận này; hãy tải lại.",
    "Someone else changed this live session at the same moment; reload it.": "Người khác vừa sửa phiên live này; hãy tải lại.",
    "Not enough stock to hold for this order.": "Không đủ hàng để giữ cho đơn này.",
    "Only an unpaid, held order can take more lines.": "Chỉ đơn đang giữ hàng chờ thanh toán mới thêm được sản phẩm.",
    # channels
    "No such channel connection.": "Không tìm thấy kết nối kênh bán.", "No such listing.": "Không tìm thấy sản phẩm trên kênh.",
    "This channel cannot be connected yet.": "Kênh này chưa kết nối được.",
    "A website connection needs its platform.": "Kết nối website cần chọn nền tảng.",
    "This platform shop is already connected.": "Gian hàng này đã được kết nối.",
    "A connection can only be enabled or disabled by hand.": "Chỉ có thể bật hoặc tắt kết nối bằng tay.",
    "Only marketplaces are authorized on their own site.": "Chỉ sàn TMĐT mới ủy quyền trên trang của sàn.",
    "The authorization link is invalid or expired; start again.": "Liên kết ủy quyền không hợp lệ hoặc đã hết hạn; hãy làm lại.",
    "The platform sent no authorization code.": "Sàn không gửi mã ủy quyền.",
    "The webhook signature is missing or wrong.": "Chữ ký webhook thiếu hoặc sai.",
    "The webhook body is not readable.": "Không đọc được nội dung webhook.",
    "A website sends its orders by webhook; there is nothing to pull.": "Website gửi đơn qua webhook; không có gì để đồng bộ.",
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
    (r"^At most (\d+) lines per statement\.$", "Mỗi bảng đối soát tối đa {0} dòng."),
    (r"^A (\w+) order cannot be invoiced\.$", "Không thể lập hóa đơn cho đơn {status0}."),
    (r"^The e-invoice provider refused the request \((.+)\)\.$", "Nhà cung cấp hóa đơn điện tử từ chối yêu cầu ({0})."),
    (r"^The type letter (\w) is not one the law defines \((.+)\)\.$", "Chữ loại hóa đơn {0} không có trong quy định ({1})."),
    (r"^The symbol (\w+) is for (\d{4}); the invoice is dated (.+)\.$", "Ký hiệu {0} dành cho năm {1}, hóa đơn lập ngày {2}."),
    (r"^(\S+) is outside every 8% VAT reduction\.$", "Ngày {0} không thuộc thời gian giảm thuế GTGT 8%."),
    (r"^one of (.+)$", "một trong: {0}"),
    (r"^Cannot issue an invoice that is (\w+)\.$", "Không thể phát hành hóa đơn {status0}."),
    (r"^Cannot cancel an invoice that is (\w+)\.$", "Không thể hủy hóa đơn {status0}."),
    (r"^Cannot replace an invoice that is (\w+)\.$", "Không thể thay thế hóa đơn {status0}."),
    (r"^Cannot adjust an invoice that is (\w+)\.$", "Không thể điều chỉnh hóa đơn {status0}."),
    (r"^The platform refused the authorization: (.+)$", "Sàn từ chối ủy quyền: {0}"),
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
