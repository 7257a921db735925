// Camera scanning: the browser's own BarcodeDetector where it reads retail codes, otherwise the
// `barcode-detector` ponyfill (ZXing-C++ as WebAssembly), loaded only when the camera opens and
// served from /vendor (zxing-wasm README "Configuring .wasm Serving": prepareZXingModule + locateFile).
import {useEffect, useRef, useState} from "preact/hooks";
import {t} from "./i18n.js";
import {html} from "./ui.js";

const FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39", "qr_code"];
const SAME_CODE_PAUSE_MS = 1500;
let detectorPromise;

async function nativeDetector() {
  if (!("BarcodeDetector" in self)) return null;
  try {
    const supported = await self.BarcodeDetector.getSupportedFormats();
    if (!supported.includes("ean_13")) return null;
    return new self.BarcodeDetector({formats: FORMATS.filter((f) => supported.includes(f))});
  } catch { return null; }
}

async function ponyfillDetector() {
  const {BarcodeDetector, prepareZXingModule} = await import("barcode-detector/ponyfill");
  prepareZXingModule({overrides: {locateFile: (path, prefix) => (path.endsWith(".wasm") ? "/vendor/" + path : prefix + path)}});
  return new BarcodeDetector({formats: FORMATS});
}

export function detector() {
  detectorPromise = detectorPromise || nativeDetector().then((native) => native || ponyfillDetector());
  return detectorPromise;
}

/** A full-width camera view calling onCode(code) for each barcode it reads (the same code at most every 1.5 s). */
export function CameraScan({onCode, onClose}) {
  const video = useRef(null);
  const [error, setError] = useState(null);
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    let stream, stopped = false, timer;
    const seen = new Map();
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
        if (stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        const reader = await detector();
        const tick = async () => {
          if (stopped) return;
          try {
            if (video.current.readyState >= 2) {
              for (const found of await reader.detect(video.current)) {
                const now = Date.now();
                if ((seen.get(found.rawValue) || 0) + SAME_CODE_PAUSE_MS < now) {
                  seen.set(found.rawValue, now);
                  handler.current(found.rawValue);
                }
              }
            }
          } catch { /* a frame that could not be read */ }
          timer = setTimeout(tick, 200);
        };
        tick();
      } catch (e) { setError(t("cameraFailed") + " " + (e.message || "")); }
    })();
    return () => { stopped = true; clearTimeout(timer); stream && stream.getTracks().forEach((track) => track.stop()); };
  }, []);
  return html`<div class="camera">
    <video ref=${video} playsinline muted aria-label=${t("camera")}></video>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="button" class="secondary" onClick=${onClose}>${t("close")}</button></div>`;
}
