"""Security headers, decided once for every answer: the API's JSON and documents (here, through
the endpoint decorator), the PWA's files (infra/server.py locally, the CloudFront response headers
policy in AWS: infra/template.py). OWASP ASVS 4.0 V14.4."""
import base64
import hashlib
import re

# Documents (receipts, labels, invoices) carry their own <style> and inline SVG, never a script.
DOCUMENT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
                "base-uri 'none'; form-action 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def for_api(media_type: str) -> dict[str, str]:
    """Every answer of the API: JSON is never cached (it is a shop's data) and never framed; an
    HTML document may be framed by the PWA itself (print preview)."""
    document = media_type.startswith("text/html")
    return {**COMMON, "Content-Security-Policy": DOCUMENT_CSP if document else API_CSP,
            "X-Frame-Options": "SAMEORIGIN" if document else "DENY", "Cache-Control": "no-store"}


def inline_script_hashes(html: str) -> list[str]:
    """CSP hashes of the inline scripts of a page (the PWA's import map), computed from the file
    itself so the policy never goes stale."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return ["'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in scripts]


def app_csp(index_html: str) -> str:
    """The PWA: its own files only, the scanner's WebAssembly, camera frames as blobs."""
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(index_html)])
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; "
            "manifest-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
            "object-src 'none'")


def for_app(index_html: str) -> dict[str, str]:
    return {**COMMON, "Content-Security-Policy": app_csp(index_html), "X-Frame-Options": "DENY"}
