// VietQR (NAPAS 247 "chuyển nhanh" to an account): an EMVCo merchant-presented QR payload.
// Tags per the NAPAS VietQR spec as laid out in giautm/emvqr-go README ("VietQR specification")
// and duchieupham/vietqr_web additional_data.dart: 00 format "01"; 01 "11" static / "12" with an
// amount; 38 = {00 GUID A000000727, 01 = {00 bank BIN, 01 account}, 02 service QRIBFTTA};
// 53 currency 704; 54 amount; 58 "VN"; 62 = {08 purpose}; 63 CRC-16/CCITT-FALSE over
// everything before it including "6304" (poly 0x1021, init 0xFFFF), 4 upper-case hex digits.

const tlv = (id, value) => id + String(value.length).padStart(2, "0") + value;

export function crc16(text) {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

/** Purpose text as banks accept it: no accents, letters, digits and spaces, at most 25 characters. */
export function purposeText(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
    .replace(/[^0-9A-Za-z ]/g, " ").replace(/\s+/g, " ").trim().slice(0, 25);
}

/** The payload string for a transfer of `amount` VND to `account` at the bank with NAPAS `bin`. */
export function vietqrPayload({bin, account, amount, purpose}) {
  if (!/^\d{6}$/.test(bin || "")) throw new Error("bank BIN must be 6 digits");
  if (!/^[0-9A-Za-z]{1,19}$/.test(account || "")) throw new Error("account must be 1-19 letters or digits");
  const beneficiary = tlv("00", bin) + tlv("01", account);
  const merchant = tlv("00", "A000000727") + tlv("01", beneficiary) + tlv("02", "QRIBFTTA");
  const note = purposeText(purpose);
  let payload = tlv("00", "01") + tlv("01", amount ? "12" : "11") + tlv("38", merchant) + tlv("53", "704");
  if (amount) payload += tlv("54", String(Math.trunc(amount)));
  payload += tlv("58", "VN");
  if (note) payload += tlv("62", tlv("08", note));
  payload += "6304";
  return payload + crc16(payload);
}

/** The QR as SVG markup (uqr loaded only when a transfer is chosen). */
export async function qrSvg(payload) {
  const {renderSVG} = await import("uqr");
  return renderSVG(payload, {border: 2});
}
