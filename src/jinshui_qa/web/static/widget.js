/* jinshui-qa chat widget. Put one line on any page:
 *   <script src="https://qa.example.org/widget.js" data-lang="zh" async></script>
 * It adds a button (bottom right) that opens the chat page of the same server in a panel. The page's
 * origin must be in the server's JQA_WEB_ORIGINS (the chat page's frame-ancestors). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__jinshuiQaWidget) return;
  window.__jinshuiQaWidget = true;
  var base = new URL(".", script.src);
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "zh";
  var TEXTS = {
    zh: { open: "金水区问答", close: "关闭问答窗口", title: "金水区问答助手" },
    en: { open: "Ask about Jinshui", close: "Close the Q&A panel", title: "Jinshui District Q&A" }
  }[lang];

  function start() {
    var host = document.createElement("div");
    host.id = "jinshui-qa-widget";
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("static/widget.css", base).href;
    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "launcher";
    launcher.textContent = "💬 " + TEXTS.open;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "jqa-panel");
    var panel = document.createElement("div");
    panel.id = "jqa-panel";
    panel.className = "panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TEXTS.title);
    panel.hidden = true;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "×";
    close.setAttribute("aria-label", TEXTS.close);
    var frame = null;

    function open() {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.title = TEXTS.title;
        frame.src = new URL("?embed=1&lang=" + lang, base).href;
        panel.appendChild(frame);
      }
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      frame.focus();
    }
    function hide() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    launcher.addEventListener("click", function () { if (panel.hidden) open(); else hide(); });
    close.addEventListener("click", hide);
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
    window.addEventListener("message", function (event) {
      if (frame && event.source === frame.contentWindow && event.origin === base.origin &&
          event.data === "jinshui-qa:close" && !panel.hidden) hide();
    });
    var head = document.createElement("div");
    head.className = "head";
    var title = document.createElement("span");
    title.textContent = TEXTS.title;
    head.append(title, close);
    panel.appendChild(head);
    root.append(css, panel, launcher);
    document.body.appendChild(host);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
