"""The web channel's ASGI app: the API (:mod:`jinshui_qa.web.routes`), the chat page, the embeddable
widget and the OpenAPI description at ``/docs`` (Swagger UI served from this server, no CDN).

    GET  /             the chat page, in the language of ``?lang=`` or ``Accept-Language``
    GET  /widget.js    ``<script src="https://qa.example.org/widget.js" data-lang="zh"></script>``
    GET  /static/...   the page's script and style sheet (package data)
    GET  /docs         Swagger UI; /openapi.json the description

Middleware, outermost first: security headers, HEAD as GET, body limit (413, 408 for a body that does
not arrive in time), CORS for ``JQA_WEB_ORIGINS``, then
``POST /api/ask`` served directly (:class:`~jinshui_qa.web.asking.AskShortcut`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from jinshui_qa import __version__
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import AssistantSource, QuestionRecorder
from jinshui_qa.storage.feedback import FeedbackLog
from jinshui_qa.web.asking import AskShortcut, invalid
from jinshui_qa.web.limits import BodyLimit, HeadAsGet, SecurityHeaders, header
from jinshui_qa.web.routes import refuse, response, router
from jinshui_qa.web.service import WebService, accept_language
from jinshui_qa.web.settings import WebSettings

STATIC = Path(str(resources.files("jinshui_qa.web") / "static"))
_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


@cache
def _text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def page(lang: Lang) -> str:
    """The chat page in ``lang`` (the script switches languages without a reload)."""
    return _text("index.html").replace("{{lang}}", lang).replace("{{version}}", __version__)


def create_app(source: AssistantSource, settings: WebSettings, *, recorder: QuestionRecorder | None = None,
               feedback: FeedbackLog | None = None, clock: Callable[[], float] | None = None,
               lifespan: Any = None) -> FastAPI:  # fmt: skip
    """The app over ``source`` (an assistant or a :class:`~jinshui_qa.facts.live.LiveAssistant`)."""
    app = FastAPI(title="jinshui-qa", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Questions and answers about Jinshui District, Zhengzhou, with sources.",
                  redirect_slashes=False, **_no_telemetry())  # fmt: skip
    # no redirect_slashes: its 307 pointed at http://<Host header>/..., behind the TLS proxy a downgrade
    kwargs = {"clock": clock} if clock is not None else {}
    app.state.web = WebService(
        source, settings, recorder=recorder, feedback=feedback, reply_cache=settings.reply_cache, **kwargs
    )
    app.include_router(router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return response(invalid(exc.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = _CODES.get(exc.status_code, "http_error")
        return refuse(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request, lang: str | None = None) -> HTMLResponse:
        chosen: Lang = (
            "en"
            if lang == "en"
            else "zh"
            if lang == "zh"
            else accept_language(header(request.scope, b"accept-language"))
        )
        return HTMLResponse(page(chosen), headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"})

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> Response:
        return Response(_text("widget.js"), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300",
                                 "Cross-Origin-Resource-Policy": "cross-origin"})  # fmt: skip

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_text("docs.html"))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_swagger(app)
    # innermost: POST /api/ask answered by the same function as its route, without FastAPI's routing
    app.add_middleware(AskShortcut, service=app.state.web)
    app.add_middleware(
        CORSMiddleware, allow_origins=list(settings.origins), allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept-Language"], max_age=600,
    )  # fmt: skip
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, seconds=settings.body_seconds)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders, origins=settings.origins)
    return app


def _no_telemetry() -> dict[str, Any]:
    """FastAPI's own OpenTelemetry off where it has it: no request data leaves through it, and it spares a
    provider look-up per request."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _mount_swagger(app: FastAPI) -> None:
    """Swagger UI's files from the swagger-ui-bundle package, when it is installed."""
    try:
        import swagger_ui_bundle
    except ImportError:  # /docs then says where the description is
        return
    app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-static")
