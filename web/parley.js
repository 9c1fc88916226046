/*
 * Parley comments widget: makes an article's comment section work, with no dependencies.
 *
 *   <script src="https://comments.example.com/parley.js" data-api="https://api.example.com" defer></script>
 *
 * data-api is the API's base URL (empty or absent: this page's origin); data-page-size is how many
 * comments a page shows (1 to 100, default 20). It takes the page's markup as it is: #comment-form
 * (with its hidden article_slug input), #comments-container, #comment-count, #comments-loading,
 * #no-comments and #load-more-comments. Without it, the form still posts and the API answers with a
 * redirect back to the article.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var MESSAGES = {
    unreachable:
      "Your comment could not be sent because the comment service cannot be reached. " +
      "Please check your connection and try again; what you wrote is still in the form.",
    loadFailed: "Comments could not be loaded because the comment service cannot be reached.",
    invalid: "Your comment was not saved. Please correct the marked fields and send it again.",
    sending: "Posting…",
  };

  function apiBase() {
    var configured = (script && script.getAttribute("data-api")) || "";
    return configured.replace(/\/+$/, "");
  }

  function pageSize() {
    var size = parseInt((script && script.getAttribute("data-page-size")) || "", 10);
    return size >= 1 && size <= 100 ? size : 20;
  }

  function show(element) {
    element.hidden = false;
    element.style.display = "";
  }

  function hide(element) {
    element.style.display = "none";
  }

  function element(tag, className, text) {
    var created = document.createElement(tag);
    if (className) created.className = className;
    if (text !== undefined) created.textContent = text;
    return created;
  }

  /* The API answers JSON; anything else (a proxy's error page) counts as no answer. */
  function readJson(response) {
    return response.json().then(
      function (body) { return { response: response, body: body }; },
      function () { return { response: response, body: null }; }
    );
  }

  /* The reader's own locale and time zone, for an ISO 8601 timestamp. */
  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" }).format(date);
  }

  function httpUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /*
   * message_html is sanitised by the server (paragraphs, line breaks, http(s) links). It is parsed in an
   * inert <template> and only those elements are kept, so a misconfigured server cannot inject markup.
   */
  function safeMessage(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var body = element("div", "parley-comment-body");
    body.appendChild(allowedNodes(template.content));
    return body;
  }

  function allowedNodes(source) {
    var fragment = document.createDocumentFragment();
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        fragment.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        fragment.appendChild(allowedElement(node));
      }
    });
    return fragment;
  }

  function allowedElement(node) {
    var tag = node.tagName.toLowerCase();
    if (tag === "br") return document.createElement("br");
    if (tag === "p") {
      var paragraph = document.createElement("p");
      paragraph.appendChild(allowedNodes(node));
      return paragraph;
    }
    var href = tag === "a" ? httpUrl(node.getAttribute("href") || "") : null;
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.rel = "nofollow ugc noopener";
      link.appendChild(allowedNodes(node));
      return link;
    }
    return document.createTextNode(node.textContent);
  }

  function renderComment(comment) {
    var article = element("article", "parley-comment");
    article.id = "comment-" + comment.id;
    var meta = element("header", "parley-comment-meta");
    var website = comment.website ? httpUrl(comment.website) : null;
    var author = element(website ? "a" : "span", "parley-comment-author", comment.name);
    if (website) {
      author.href = website;
      author.rel = "nofollow ugc noopener";
    }
    var time = element("time", "parley-comment-date", formatDate(comment.created_at));
    time.dateTime = comment.created_at;
    meta.appendChild(author);
    meta.appendChild(time);
    article.appendChild(meta);
    article.appendChild(safeMessage(comment.message_html));
    return article;
  }

  function CommentList(api, slug, parts) {
    this.api = api;
    this.slug = slug;
    this.parts = parts;
    this.cursor = null;
    this.problem = null;
    this.loadMoreButton = parts.loadMore.querySelector("button");
    if (this.loadMoreButton) {
      this.loadMoreButton.addEventListener("click", this.load.bind(this));
    }
  }

  CommentList.prototype.load = function () {
    var self = this;
    var query = new URLSearchParams({ article_slug: this.slug, limit: String(pageSize()) });
    if (this.cursor) query.set("cursor", this.cursor);
    this.clearProblem();
    if (this.loadMoreButton) this.loadMoreButton.disabled = true;
    if (!this.cursor) show(this.parts.loading);
    return fetch(this.api + "/api/comments?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(readJson)
      .then(function (answer) {
        if (!answer.response.ok || !answer.body) throw new Error("no comment page");
        self.render(answer.body);
      })
      .catch(function () {
        self.showProblem();
      })
      .then(function () {
        hide(self.parts.loading);
        if (self.loadMoreButton) self.loadMoreButton.disabled = false;
      });
  };

  CommentList.prototype.render = function (page) {
    var container = this.parts.container;
    page.comments.forEach(function (comment) {
      container.appendChild(renderComment(comment));
    });
    this.cursor = page.next_cursor;
    this.parts.count.textContent = String(page.count);
    if (container.querySelector(".parley-comment")) hide(this.parts.empty);
    else show(this.parts.empty);
    if (this.cursor) show(this.parts.loadMore);
    else hide(this.parts.loadMore);
  };

  CommentList.prototype.showProblem = function () {
    this.problem = element("div", "parley-error");
    this.problem.setAttribute("role", "alert");
    this.problem.appendChild(element("p", null, MESSAGES.loadFailed));
    var retry = element("button", "parley-retry", "Try again");
    retry.type = "button";
    retry.addEventListener("click", this.load.bind(this));
    this.problem.appendChild(retry);
    this.parts.container.parentNode.insertBefore(this.problem, this.parts.container);
  };

  CommentList.prototype.clearProblem = function () {
    if (this.problem) this.problem.remove();
    this.problem = null;
  };

  function CommentForm(api, form) {
    this.api = api;
    this.form = form;
    this.button = form.querySelector('button[type="submit"], button:not([type])');
    this.status = statusRegion(form);
    addHoneypot(form);
    form.addEventListener("submit", this.submit.bind(this));
    form.addEventListener("input", this.fieldEdited.bind(this));
  }

  // A field people never see or reach: bots that fill every field fill it, and the API then holds
  // the comment as spam. Its name is "homepage" (docs/security.md).
  function addHoneypot(form) {
    if (form.elements.namedItem("homepage")) return;
    var wrapper = document.createElement("div");
    wrapper.className = "parley-honeypot";
    wrapper.setAttribute("aria-hidden", "true");
    var label = document.createElement("label");
    label.textContent = "Leave this field empty";
    var input = document.createElement("input");
    input.type = "text";
    input.name = "homepage";
    input.tabIndex = -1;
    input.autocomplete = "off";
    label.appendChild(input);
    wrapper.appendChild(label);
    form.appendChild(wrapper);
  }

  CommentForm.prototype.submission = function () {
    var data = new FormData(this.form);
    var payload = {};
    data.forEach(function (value, name) {
      if (name !== "notifications") payload[name] = value;
    });
    var notify = this.form.elements.namedItem("notifications");
    payload.notifications = Boolean(notify && notify.checked);
    return payload;
  };

  CommentForm.prototype.submit = function (event) {
    event.preventDefault();
    var self = this;
    this.clearErrors();
    this.setSending(true);
    fetch(this.api + "/api/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(this.submission()),
    })
      .then(readJson)
      .then(function (answer) {
        self.answered(answer.response, answer.body);
      })
      .catch(function () {
        self.say(MESSAGES.unreachable, "error");
      })
      .then(function () {
        self.setSending(false);
      });
  };

  CommentForm.prototype.answered = function (response, body) {
    if (response.ok && body) {
      this.form.reset();
      this.say(body.message, "success");
      return;
    }
    var error = (body && body.error) || {};
    if (response.status === 429) {
      var wait = response.headers.get("Retry-After");
      this.say("You are posting too quickly. Please try again" + (wait ? " in " + wait + " seconds." : " later."), "error");
      return;
    }
    var fieldErrors = (error.errors || []).filter(function (fieldError) { return fieldError.field; });
    if (!fieldErrors.length && error.field) fieldErrors = [{ field: error.field, message: error.message }];
    var shown = fieldErrors.filter(this.markField, this);
    if (shown.length) {
      this.say(MESSAGES.invalid, "error");
      this.form.querySelector('[aria-invalid="true"]').focus();
    } else {
      this.say(error.message || "Your comment could not be sent (error " + response.status + "). Please try again.", "error");
    }
  };

  /* Shows one field's error next to it; false when the form has no such field. */
  CommentForm.prototype.markField = function (fieldError) {
    var field = this.form.elements.namedItem(fieldError.field);
    if (!field || !field.id || field.type === "hidden" || document.getElementById(field.id + "-error")) return false;
    var message = element("p", "parley-field-error", fieldError.message);
    message.id = field.id + "-error";
    field.insertAdjacentElement("afterend", message);
    field.setAttribute("aria-invalid", "true");
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("data-parley-describedby", described || "");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + message.id);
    return true;
  };

  CommentForm.prototype.clearField = function (field) {
    var message = document.getElementById(field.id + "-error");
    if (message) message.remove();
    if (field.hasAttribute("data-parley-describedby")) {
      var described = field.getAttribute("data-parley-describedby");
      if (described) field.setAttribute("aria-describedby", described);
      else field.removeAttribute("aria-describedby");
      field.removeAttribute("data-parley-describedby");
    }
    field.removeAttribute("aria-invalid");
  };

  CommentForm.prototype.clearErrors = function () {
    Array.prototype.forEach.call(this.form.querySelectorAll("[aria-invalid]"), this.clearField, this);
    this.say("", null);
  };

  CommentForm.prototype.fieldEdited = function (event) {
    if (event.target.hasAttribute("aria-invalid")) this.clearField(event.target);
  };

  CommentForm.prototype.setSending = function (sending) {
    if (!this.button) return;
    if (sending) {
      this.buttonLabel = this.button.textContent;
      this.button.textContent = MESSAGES.sending;
    } else if (this.buttonLabel !== undefined) {
      this.button.textContent = this.buttonLabel;
    }
    this.button.disabled = sending;
    this.form.setAttribute("aria-busy", sending ? "true" : "false");
  };

  CommentForm.prototype.say = function (text, kind) {
    this.status.textContent = text;
    this.status.className = "parley-status" + (kind ? " parley-status-" + kind : "");
    if (text) show(this.status);
    else hide(this.status);
  };

  /* The aria-live region under the form (the page's outcome script may have made it already). */
  function statusRegion(form) {
    var region = document.getElementById("comment-status");
    if (!region) {
      region = element("p", "parley-status");
      region.id = "comment-status";
      hide(region);
      form.insertAdjacentElement("afterend", region);
    }
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    return region;
  }

  function start() {
    var form = document.getElementById("comment-form");
    var parts = {
      container: document.getElementById("comments-container"),
      count: document.getElementById("comment-count"),
      loading: document.getElementById("comments-loading"),
      empty: document.getElementById("no-comments"),
      loadMore: document.getElementById("load-more-comments"),
    };
    var slugInput = form && form.elements.namedItem("article_slug");
    if (!slugInput || !parts.container || !parts.count || !parts.loading || !parts.empty || !parts.loadMore) {
      if (window.console) console.error("parley.js: the page lacks the comment section's markup");
      return;
    }
    var api = apiBase();
    new CommentForm(api, form);
    new CommentList(api, slugInput.value, parts).load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
