"""problem+json bodies for answers API Gateway gives itself (no or malformed Authorization
header, unknown route). Used by the AWS template and by the local server alike."""
GATEWAY_PROBLEMS = {
    # API Gateway response type: (status, title, detail)
    "UNAUTHORIZED": (401, "Not authenticated", "Sign in first: send 'Authorization: Bearer <access_token>'."),
    "ACCESS_DENIED": (403, "Not permitted", "This request is not allowed."),
    "MISSING_AUTHENTICATION_TOKEN": (404, "Not found", "No such route."),
    "REQUEST_TOO_LARGE": (413, "Request too large", "The body is larger than allowed."),
    "THROTTLED": (429, "Too many requests", "Slow down and try again."),
}
PROBLEM_BY_STATUS = {status: (title, detail) for status, title, detail in GATEWAY_PROBLEMS.values()}
