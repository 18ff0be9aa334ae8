"use strict";
// Swagger UI from this server (no CDN); the page keeps working without it (a link to openapi.json).
window.addEventListener("DOMContentLoaded", function () {
  if (typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({ url: new URL("openapi.json", document.baseURI).href, dom_id: "#swagger-ui" });
});
