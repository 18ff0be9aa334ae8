"use strict";
// The chat page of jinshui-qa. Every reply is put on the page with textContent, never as HTML.
(function () {
  var TEXTS = {
    zh: {
      title: "金水区问答助手", skip: "跳到提问框", examples: "可以这样问", topics: "按主题浏览",
      conversation: "对话", label: "您的问题", send: "发送", placeholder: "请输入关于金水区的问题…",
      intro: "根据公开报道回答关于郑州市金水区的问题，每个答案都注明出处。资料里没有的，会直说不知道。",
      footer: "资料来源：2022年郑州日报关于金水区的报道。答案仅供参考。",
      switchTo: "English", switchLabel: "Switch to English", you: "您", bot: "问答助手",
      source: "来源", period: "时期", options: "您想问的是：", related: "相关问题：",
      voteGroup: "这个回答有帮助吗？", up: "有帮助", down: "答得不对",
      thanks: "谢谢您的反馈！", commentLabel: "哪里不对？（可选）", commentSend: "提交",
      thinking: "正在查找答案…", failed: "连接失败，请稍后再试。", voteFailed: "反馈没有保存成功，请稍后再试。",
      tooFast: "您问得太快了，请{n}秒后再试。", invalid: "这个问题无法处理："
    },
    en: {
      title: "Jinshui District Q&A", skip: "Skip to the question box", examples: "Try asking",
      topics: "Browse by topic", conversation: "Conversation", label: "Your question", send: "Send",
      placeholder: "Ask about Jinshui District…",
      intro: "Answers about Jinshui District, Zhengzhou, from published reports, each with its source. " +
        "If the sources don't say, it tells you so.",
      footer: "Source: Zhengzhou Daily's 2022 report on Jinshui District. For information only.",
      switchTo: "中文", switchLabel: "切换到中文", you: "You", bot: "Assistant",
      source: "Source", period: "Period", options: "Did you mean:", related: "Related questions:",
      voteGroup: "Was this answer helpful?", up: "Helpful", down: "Wrong answer",
      thanks: "Thank you for your feedback!", commentLabel: "What was wrong? (optional)", commentSend: "Send",
      thinking: "Looking for the answer…", failed: "Could not connect; please try again later.",
      voteFailed: "Your feedback was not saved; please try again later.",
      tooFast: "You are asking too fast; please try again in {n} s.", invalid: "This question cannot be handled: "
    }
  };
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var context = null;
  var busy = false;
  var $ = function (id) { return document.getElementById(id); };
  var api = function (path) { return new URL(path, document.baseURI).href; };

  function t(key) { return TEXTS[lang][key]; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    var toggle = $("lang-toggle");
    toggle.textContent = t("switchTo");
    toggle.setAttribute("lang", lang === "zh" ? "en" : "zh");
    toggle.setAttribute("aria-label", t("switchLabel"));
    $("question").placeholder = t("placeholder");
  }

  function status(text) { $("status").textContent = text; }

  function chip(label, onPress) {
    var button = el("button", "chip", label);
    button.type = "button";
    button.addEventListener("click", function () { onPress(label); });
    return button;
  }

  function loadTopics() {
    fetch(api("api/topics?lang=" + lang)).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      var examples = $("examples");
      examples.replaceChildren();
      data.examples.forEach(function (q) { examples.appendChild(chip(q, function () { ask({ question: q }, q); })); });
      var topics = $("topics");
      topics.replaceChildren();
      data.topics.forEach(function (topic) {
        var group = el("div", "topic");
        group.setAttribute("role", "group");
        var heading = el("h3", null, topic.title);
        heading.id = "topic-" + topic.id;
        group.setAttribute("aria-labelledby", heading.id);
        group.appendChild(heading);
        var list = el("div", "chips");
        topic.questions.forEach(function (q) {
          list.appendChild(chip(q.question, function () { ask({ fact_id: q.fact_id }, q.question); }));
        });
        group.appendChild(list);
        topics.appendChild(group);
      });
    }).catch(function () { /* the page still works without examples */ });
  }

  function message(who, text) {
    var article = el("article", "msg " + who);
    article.setAttribute("lang", lang);
    article.appendChild(el("p", "who visually-hidden", t(who === "user" ? "you" : "bot") + ":"));
    article.appendChild(el("p", "text", text));
    $("log").appendChild(article);
    reveal(article);
    return article;
  }

  function reveal(article) {  // the whole message above the question box, or its start when it is taller
    var tall = article.getBoundingClientRect().height > window.innerHeight * 0.7;
    article.scrollIntoView({ block: tall ? "start" : "end" });
  }

  function buttons(article, heading, items, replyLang) {
    if (!items || !items.length) return;
    var group = el("div", "choices");
    group.setAttribute("role", "group");
    var label = el("p", "choices-label", heading);
    label.id = "g" + Math.random().toString(36).slice(2);
    group.setAttribute("aria-labelledby", label.id);
    group.appendChild(label);
    items.forEach(function (item) {
      // the answer comes in the language the buttons were drawn in, as in the Telegram bot
      group.appendChild(chip(item.title, function () { ask({ fact_id: item.fact_id, lang: replyLang }, item.title); }));
    });
    article.appendChild(group);
  }

  function voteBox(article, questionId, replyLang) {
    var box = el("div", "vote");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", TEXTS[replyLang].voteGroup);
    [["up", "👍"], ["down", "👎"]].forEach(function (pair) {
      var button = el("button", "vote-" + pair[0], pair[1]);
      button.type = "button";
      button.setAttribute("aria-label", TEXTS[replyLang][pair[0]]);
      button.title = TEXTS[replyLang][pair[0]];
      button.addEventListener("click", function () { vote(box, questionId, pair[0], null, replyLang); });
      box.appendChild(button);
    });
    article.appendChild(box);
  }

  function vote(box, questionId, which, comment, replyLang) {
    var body = { question_id: questionId, vote: which };
    if (comment) body.comment = comment;
    return fetch(api("api/feedback"), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      var thanks = el("p", "thanks", TEXTS[replyLang].thanks);
      thanks.setAttribute("role", "status");
      box.replaceChildren(thanks);
      if (which === "down" && !comment) commentForm(box, questionId, replyLang);
      thanks.tabIndex = -1;
      thanks.focus();
    }).catch(function () { status(TEXTS[replyLang].voteFailed); });
  }

  function commentForm(box, questionId, replyLang) {
    var form = el("form", "comment");
    var input = el("input");
    input.type = "text";
    input.maxLength = 500;
    input.id = "c" + questionId;
    var label = el("label", null, TEXTS[replyLang].commentLabel);
    label.htmlFor = input.id;
    var send = el("button", null, TEXTS[replyLang].commentSend);
    send.type = "submit";
    form.append(label, input, send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) vote(box, questionId, "down", input.value.trim(), replyLang);
    });
    box.appendChild(form);
  }

  function render(data) {
    var text = data.reply;
    var source = data.source;
    if (source && text.endsWith(source)) text = text.slice(0, text.lastIndexOf("\n\n")) || text;
    else source = null;
    var article = message("bot", text);
    article.setAttribute("lang", data.lang);
    article.dataset.status = data.status;
    if (data.status === "answer" || source) {  // a fallback's figure shown instead cites its source too
      var meta = el("p", "meta");
      var colon = data.lang === "zh" ? "：" : ": ";
      if (source) meta.appendChild(el("span", "source", TEXTS[data.lang].source + colon + source));
      if (data.period_label) meta.appendChild(el("span", "period", TEXTS[data.lang].period + colon + data.period_label));
      article.appendChild(meta);
    }
    buttons(article, TEXTS[data.lang].options, data.options, data.lang);
    buttons(article, TEXTS[data.lang].related, (data.related || []).slice(0, 3), data.lang);
    if (data.status === "answer" && data.question_id) voteBox(article, data.question_id, data.lang);
    reveal(article);
  }

  function ask(payload, shown) {
    if (busy) return;
    busy = true;
    $("send").disabled = true;
    message("user", shown);
    status(t("thinking"));
    payload.lang = payload.lang || lang;
    if (context) payload.context = context;
    fetch(api("api/ask"), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().then(function (data) { return { response: r, data: data }; });
    }).then(function (result) {
      var r = result.response, data = result.data;
      if (r.status === 429) {
        var wait = r.headers.get("Retry-After") || "10";
        message("bot", t("tooFast").replace("{n}", wait)).classList.add("error");
      } else if (!r.ok) {
        message("bot", t("invalid") + (data.message || r.status)).classList.add("error");
      } else {
        context = data.context;
        render(data);
      }
    }).catch(function () {
      message("bot", t("failed")).classList.add("error");
    }).finally(function () {
      busy = false;
      $("send").disabled = false;
      status("");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (new URLSearchParams(location.search).get("embed") === "1") {
      document.body.classList.add("embed");
      // in the widget's panel: Escape closes it (the widget listens for this message from its frame)
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && window.parent !== window) window.parent.postMessage("jinshui-qa:close", "*");
      });
    }
    applyTexts();
    loadTopics();
    $("lang-toggle").addEventListener("click", function () {
      lang = lang === "zh" ? "en" : "zh";
      applyTexts();
      loadTopics();
      $("lang-toggle").focus();
    });
    $("ask-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = $("question");
      var question = input.value.trim();
      if (!question || busy) return;
      input.value = "";
      ask({ question: question }, question);
      input.focus();
    });
  });
})();
