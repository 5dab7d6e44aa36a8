"""Error pages in Chinese; JSON for JSON clients. A bad request is a 4xx with its reason, never a 500."""
from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

TITLES = {
    400: "请求有误",
    403: "没有权限",
    404: "页面不存在",
    405: "不支持的请求方式",
    409: "请求冲突",
    413: "提交的内容太大",
    422: "提交的内容无法处理",
    429: "请求太频繁",
}


def _wants_json() -> bool:
    return g.get("json_errors") or request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def handle_http_error(exc: HTTPException):
    code = exc.code or 500
    title = TITLES.get(code, "出错了")
    # Our own abort() calls carry Chinese reasons; Werkzeug's English class defaults are not shown.
    description = "" if exc.description == type(exc).description else exc.description
    if isinstance(exc, CSRFError):
        description = "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试。"
    # Keep the exception's own headers (Retry-After on 429, Allow on 405), not its content type.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        return jsonify(error=title, message=description, status=code), code, headers
    return render_template("errors/error.html", code=code, title=title, description=description), code, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
