"""Error pages in Chinese; JSON for JSON clients. A bad request is a 4xx with its reason, never a 500."""
from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadHost, BadRequest, HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

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


# Reasons for errors Werkzeug or Flask-WTF raise themselves (their English texts are never shown);
# first match wins, so subclasses come before BadRequest.
REASONS = {
    BadHost: "请求头中的主机名（Host）无效，请检查网址。",
    CSRFError: "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试。",
    NotFound: "没有找到这个网址，请检查链接是否完整。",
    MethodNotAllowed: "这个网址不接受这种请求方式。",
    RequestEntityTooLarge: "提交的内容超过了大小上限。",
    BadRequest: "请求的格式有误，无法处理。",
}


def _ensure_url_adapter() -> None:
    """A request whose Host could not be parsed has no URL adapter, yet the error page links home:
    bind one to a neutral name (the links are relative, the bad Host never appears in them)."""
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.script_root or None, url_scheme=request.scheme)


def handle_http_error(exc: HTTPException):
    code = exc.code or 500
    title = TITLES.get(code, "出错了")
    # Our own abort() calls carry Chinese reasons; Werkzeug's English class defaults are not shown.
    ours = not isinstance(exc, CSRFError) and exc.description != type(exc).description
    description = exc.description if ours else next((r for cls, r in REASONS.items() if isinstance(exc, cls)), "")
    if isinstance(exc, RequestEntityTooLarge) and not ours and current_app.config.get("MAX_CONTENT_LENGTH"):
        description = f"提交的内容超过了大小上限（{current_app.config['MAX_CONTENT_LENGTH'] // 1024} KB）。"
    _ensure_url_adapter()
    # Keep the exception's own headers (Retry-After on 429, Allow on 405), not its content type.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        return jsonify(error=title, message=description, status=code), code, headers
    return render_template("errors/error.html", code=code, title=title, description=description), code, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
