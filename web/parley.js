/*
 * Parley comments widget: makes an article's comment section work, with no dependencies.
 *
 *   <script src="https://comments.example.com/parley.js" data-api="https://api.example.com" defer></script>
 *
 * data-api is the API's base URL (empty or absent: this page's origin); data-page-size is how many
 * comments a page shows (1 to 100, default 20). data-lang picks its language (else <html lang>, else the
 * browser's languages; English when none of en, de, fr, es, pt-BR, ja fits); its texts come from
 * locales/<lang>.json beside the script (data-locales moves them). data-theme="light|dark|auto" (on the
 * script or on the comment section) forces a colour scheme; auto, the default, follows the system.
 * Elements of the section with data-parley-text="key" get that catalog text (data-parley-placeholder="key":
 * as their placeholder). It takes the page's markup as it is: #comment-form
 * (with its hidden article_slug input), #comments-container, #comment-count, #comments-loading,
 * #no-comments and #load-more-comments. It shows threads indented (up to MAX_DEPTH levels), a Reply
 * button on each comment that moves the form under it, a sort control, and an identicon per commenter
 * (drawn here from the API's keyed hash: nothing is fetched from another site). A link to a comment
 * (#comment-<id>) opens the page that holds it, scrolled to it and highlighted. Without it, the form
 * still posts and the API answers with a redirect back to the article.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var LANGUAGES = ["en", "de", "fr", "es", "pt-BR", "ja"];
  var THEMES = ["light", "dark", "auto"];
  var language = "en";
  var catalog = { widget: {}, errors: {}, fields: {} };
  var MAX_DEPTH = 3; // replies indent this many levels at most; deeper ones stay there, "in reply to NAME"
  var SVG = "http://www.w3.org/2000/svg";
  var PERMALINK = /^#comment-([0-9a-f]{32})$/;


  /* The first of data-lang, <html lang> and the browser's languages that is one of ours, else English. */
  function chooseLanguage() {
    var wanted = [(script && script.getAttribute("data-lang")) || "", document.documentElement.lang || ""];
    wanted = wanted.concat(navigator.languages || [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]).toLowerCase();
      if (!tag) continue;
      var exact = LANGUAGES.filter(function (code) { return code.toLowerCase() === tag; })[0];
      var base = LANGUAGES.filter(function (code) { return code.split("-")[0].toLowerCase() === tag.split("-")[0]; })[0];
      if (exact || base) return exact || base;
    }
    return "en";
  }

  function catalogUrl(code) {
    var configured = script && script.getAttribute("data-locales");
    var base = configured ? new URL(configured.replace(/\/*$/, "/"), location.href) : new URL("locales/", (script && script.src) || location.href);
    return new URL(code + ".json", base).href;
  }

  /* The language's catalog (English if it cannot be had); resolves either way. */
  function loadCatalog(code) {
    return fetch(catalogUrl(code), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("no catalog");
        return response.json();
      })
      .then(function (loaded) {
        language = code;
        catalog = loaded;
      })
      .catch(function () {
        if (code !== "en") return loadCatalog("en");
      });
  }

  /* A text of the widget's catalog, its {placeholders} filled in from `values`. */
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  function t(key, values) {
    var text = catalog.widget[key];
    return text === undefined ? key : fill(text, values);
  }

  /* A text with plural forms, chosen by the language's rules for `count`. */
  function plural(key, count, values) {
    var forms = catalog.widget[key] || {};
    var form = forms[new Intl.PluralRules(language).select(count)] || forms.other || key;
    return fill(form, Object.assign({ count: new Intl.NumberFormat(language).format(count) }, values));
  }

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
   * message_html is sanitised by the server (the Markdown subset's elements, http(s) links). It is parsed
   * in an inert <template> and only those elements are kept, so a misconfigured server cannot inject markup.
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

  var PLAIN_TAGS = ["p", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"];

  function allowedElement(node) {
    var tag = node.tagName.toLowerCase();
    if (tag === "br") return document.createElement("br");
    if (PLAIN_TAGS.indexOf(tag) !== -1) {
      var copy = document.createElement(tag);
      var start = tag === "ol" ? parseInt(node.getAttribute("start") || "", 10) : NaN;
      if (start >= 0) copy.start = start;
      copy.appendChild(allowedNodes(node));
      return copy;
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

  /*
   * An identicon: a 5x5 pattern, mirrored left to right, in one colour, from the commenter's keyed hash
   * (16 hex digits: the first three pick the hue, the next fifteen bits the cells). Decorative: hidden
   * from assistive technology, the name beside it says who wrote. No hash (a comment older than
   * avatars): an empty tile.
   */
  function identicon(hash) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "parley-avatar");
    svg.setAttribute("viewBox", "0 0 5 5");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (!/^[0-9a-f]{16}$/.test(hash || "")) return svg;
    var hue = parseInt(hash.slice(0, 3), 16) % 360;
    var bits = parseInt(hash.slice(3, 7), 16);
    for (var cell = 0; cell < 15; cell++) {
      if (!((bits >> cell) & 1)) continue;
      var row = cell % 5, column = Math.floor(cell / 5);
      [column, 4 - column].forEach(function (x, index) {
        if (index && x === column) return;
        var square = document.createElementNS(SVG, "rect");
        square.setAttribute("x", String(x));
        square.setAttribute("y", String(row));
        square.setAttribute("width", "1");
        square.setAttribute("height", "1");
        square.setAttribute("fill", "hsl(" + hue + ", 55%, 45%)");
        svg.appendChild(square);
      });
    }
    return svg;
  }

  /*
   * One comment and its replies, nested. Each keeps what placing a reply needs: its name, depth and
   * replies' container. A removed comment is a placeholder that keeps its replies in place.
   */
  function renderComment(comment, depth, parent, onReply) {
    var article = element("article", "parley-comment");
    article.id = "comment-" + comment.id;
    article.parleyDepth = depth;
    if (comment.removed) {
      article.className += " parley-comment-removed";
      article.appendChild(element("p", "parley-removed", t("removed")));
    } else {
      article.parleyName = comment.name;
      var meta = element("header", "parley-comment-meta");
      var website = comment.website ? httpUrl(comment.website) : null;
      var author = element(website ? "a" : "span", "parley-comment-author", comment.name);
      author.id = article.id + "-author";
      if (website) {
        author.href = website;
        author.rel = "nofollow ugc noopener";
      }
      var time = element("time", "parley-comment-date", formatDate(comment.created_at));
      time.dateTime = comment.created_at;
      meta.appendChild(identicon(comment.avatar));
      meta.appendChild(author);
      meta.appendChild(time);
      if (depth > MAX_DEPTH && parent) {
        var to = element("a", "parley-in-reply-to", t("inReplyTo", { name: parent.parleyName || t("removedParent") }));
        to.href = "#" + parent.id;
        meta.appendChild(to);
      }
      article.appendChild(meta);
      article.appendChild(safeMessage(comment.message_html));
      var reply = element("button", "parley-reply", t("reply"));
      reply.type = "button";
      reply.setAttribute("aria-describedby", author.id);
      reply.addEventListener("click", function () { onReply(article, reply); });
      article.appendChild(reply);
    }
    article.parleyReplies = element("div", depth < MAX_DEPTH ? "parley-replies" : "parley-replies parley-replies-flat");
    article.appendChild(article.parleyReplies);
    (comment.replies || []).forEach(function (child) {
      article.parleyReplies.appendChild(renderComment(child, depth + 1, article, onReply));
    });
    return article;
  }

  /* Moves focus to a thread just shown, so the reader (and a screen reader) carries on from there. */
  function focusThread(thread) {
    thread.tabIndex = -1;
    thread.focus();
  }

  /* Placeholders hold replies only: one whose replies are all still to come (or none) stays out of sight. */
  function tidy(thread) {
    var removed = thread.querySelectorAll(".parley-comment-removed");
    for (var i = removed.length - 1; i >= 0; i--) {
      removed[i].hidden = !removed[i].parleyReplies.querySelector(".parley-comment:not([hidden])");
    }
  }

  function CommentList(api, slug, parts, form) {
    this.api = api;
    this.slug = slug;
    this.parts = parts;
    this.form = form;
    this.order = "oldest";
    this.cursor = null;
    this.earlier = null; // after opening at a permalink's page: the pages before it, still to show
    this.fresh = false;
    this.requests = 0;
    this.problem = null;
    this.onReply = form.replyTo.bind(form);
    this.loadMoreButton = parts.loadMore.querySelector("button");
    if (this.loadMoreButton) {
      this.loadMoreButton.addEventListener("click", this.more.bind(this));
    }
    this.sorting = this.sortControl();
  }

  CommentList.prototype.sortControl = function () {
    var wrapper = element("div", "parley-sort");
    var label = element("label", null, t("sort"));
    var select = element("select");
    select.id = label.htmlFor = "parley-order";
    ["oldest", "newest"].forEach(function (order) {
      var option = element("option", null, t(order));
      option.value = order;
      select.appendChild(option);
    });
    select.addEventListener("change", this.reload.bind(this));
    wrapper.appendChild(label);
    wrapper.appendChild(select);
    hide(wrapper);
    this.parts.loading.parentNode.insertBefore(wrapper, this.parts.loading);
    return wrapper;
  };

  /* "Load More Comments": the next page, and focus on its first thread (the button may go). */
  CommentList.prototype.more = function () {
    var container = this.parts.container;
    var last = container.lastElementChild;
    return this.load().then(function () {
      var next = last ? last.nextElementSibling : container.firstElementChild;
      if (next) focusThread(next);
    });
  };

  /* The first page again in the order chosen; what is shown stays until it arrives. */
  CommentList.prototype.reload = function (event) {
    this.order = event.target.value;
    this.cursor = null;
    this.earlier = null;
    this.fresh = true;
    this.load();
  };

  /*
   * The first page, or for a link to a comment (#comment-<id>) the page that holds it (the API says
   * which), then that comment scrolled to, highlighted and focused. A link followed later on the page
   * does the same.
   */
  CommentList.prototype.start = function () {
    var self = this;
    window.addEventListener("hashchange", function () {
      var wanted = PERMALINK.exec(location.hash);
      if (!wanted) return;
      if (!self.reveal(wanted[1])) self.open(wanted[1], true);
    });
    var wanted = PERMALINK.exec(location.hash);
    return wanted ? this.open(wanted[1], false) : this.load();
  };

  CommentList.prototype.open = function (commentId, fresh) {
    var self = this;
    var query = new URLSearchParams({ limit: String(pageSize()), order: this.order });
    var url = this.api + "/api/comments/" + commentId + "/page?" + query.toString();
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(readJson)
      .then(
        function (answer) { return answer.response.ok && answer.body ? answer.body : {}; },
        function () { return {}; }
      )
      .then(function (place) {
        self.cursor = place.cursor || null;
        self.earlier = self.cursor ? { cursor: null, until: self.cursor, button: null } : null;
        self.fresh = fresh;
        return self.load().then(function () { return self.seek(commentId, place.thread_id); });
      });
  };

  /* Reveals the comment, first bringing more of its thread's replies while it is not there yet. */
  CommentList.prototype.seek = function (commentId, threadId) {
    var self = this;
    if (this.reveal(commentId)) return null;
    var thread = threadId && document.getElementById("comment-" + threadId);
    var more = thread && thread.parleyMoreReplies;
    if (!more) return null;
    return more().then(function (remaining) {
      return remaining ? self.seek(commentId, threadId) : self.reveal(commentId);
    });
  };

  /* Scrolls to a comment shown, highlights it (alone) and moves focus to it; false when not shown. */
  CommentList.prototype.reveal = function (commentId) {
    var target = document.getElementById("comment-" + commentId);
    if (!target || !this.parts.container.contains(target)) return false;
    Array.prototype.forEach.call(this.parts.container.querySelectorAll(".parley-highlighted"), function (shown) {
      shown.classList.remove("parley-highlighted");
    });
    target.classList.add("parley-highlighted");
    target.tabIndex = -1;
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
    return true;
  };

  /* Opened at a later page: a button above it brings the pages before, one at a time, in order. */
  CommentList.prototype.earlierButton = function () {
    var self = this;
    var wrapper = element("div", "parley-earlier");
    var button = element("button", "parley-earlier-button", t("earlier"));
    var problem = element("p", "parley-field-error", t("loadFailed"));
    problem.setAttribute("role", "alert");
    button.type = "button";
    button.addEventListener("click", function () { self.loadEarlier(problem); });
    wrapper.appendChild(button);
    this.earlier.button = wrapper;
    this.parts.container.insertBefore(wrapper, this.parts.container.firstChild);
  };

  CommentList.prototype.loadEarlier = function (problem) {
    var self = this;
    var earlier = this.earlier;
    var button = earlier.button.querySelector("button");
    var query = new URLSearchParams({ article_slug: this.slug, limit: String(pageSize()), order: this.order });
    if (earlier.cursor) query.set("cursor", earlier.cursor);
    button.disabled = true;
    problem.remove();
    return fetch(this.api + "/api/comments?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(readJson)
      .then(function (answer) {
        if (earlier !== self.earlier) return;
        if (!answer.response.ok || !answer.body) throw new Error("no comment page");
        var reached = false, first = null;
        answer.body.comments.forEach(function (comment) {
          if (document.getElementById("comment-" + comment.id)) {
            reached = true;
            return;
          }
          var thread = renderComment(comment, 0, null, self.onReply);
          if (comment.replies_cursor) self.moreRepliesButton(thread, comment.replies_cursor);
          self.parts.container.insertBefore(thread, earlier.button);
          first = first || thread;
        });
        earlier.cursor = answer.body.next_cursor;
        if (reached || !earlier.cursor || earlier.cursor === earlier.until) {
          earlier.button.remove();
          self.earlier = null;
        }
        if (first) focusThread(first);
      })
      .catch(function () {
        if (earlier === self.earlier) button.insertAdjacentElement("afterend", problem);
      })
      .then(function () {
        button.disabled = false;
      });
  };

  CommentList.prototype.load = function () {
    var self = this;
    var request = ++this.requests;
    var query = new URLSearchParams({ article_slug: this.slug, limit: String(pageSize()), order: this.order });
    if (this.cursor) query.set("cursor", this.cursor);
    this.clearProblem();
    if (this.loadMoreButton) this.loadMoreButton.disabled = true;
    if (!this.cursor) show(this.parts.loading);
    return fetch(this.api + "/api/comments?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(readJson)
      .then(function (answer) {
        if (request !== self.requests) return;
        if (!answer.response.ok || !answer.body) throw new Error("no comment page");
        self.render(answer.body);
      })
      .catch(function () {
        if (request === self.requests) self.showProblem();
      })
      .then(function () {
        if (request !== self.requests) return;
        hide(self.parts.loading);
        if (self.loadMoreButton) self.loadMoreButton.disabled = false;
      });
  };

  CommentList.prototype.render = function (page) {
    var self = this;
    var container = this.parts.container;
    if (this.fresh) {
      this.form.goHome();
      container.textContent = "";
      this.fresh = false;
    }
    page.comments.forEach(function (comment) {
      var thread = renderComment(comment, 0, null, self.onReply);
      if (comment.replies_cursor) self.moreRepliesButton(thread, comment.replies_cursor);
      container.appendChild(thread);
    });
    this.cursor = page.next_cursor;
    this.parts.count.textContent = String(page.count);
    var any = container.querySelector(".parley-comment");
    if (any) hide(this.parts.empty);
    else show(this.parts.empty);
    if (any) show(this.sorting);
    else hide(this.sorting);
    if (this.cursor) show(this.parts.loadMore);
    else hide(this.parts.loadMore);
    if (this.own) this.own.decorate();
    if (this.earlier && !this.earlier.button) this.earlierButton();
  };

  /* "Load more replies" under a thread too long for one page: the rest, placed under their parents. */
  CommentList.prototype.moreRepliesButton = function (thread, cursor) {
    var self = this;
    var button = element("button", "parley-more-replies", t("moreReplies"));
    var problem = element("p", "parley-field-error", t("loadFailed"));
    problem.setAttribute("role", "alert");
    button.type = "button";
    /* The next replies; resolves to whether more remain (false after a failure too). */
    function more() {
      var query = new URLSearchParams({ comment_id: thread.id.slice("comment-".length), cursor: cursor });
      var failed = false;
      button.disabled = true;
      problem.remove();
      return fetch(self.api + "/api/comments/replies?" + query.toString(), { headers: { Accept: "application/json" } })
        .then(readJson)
        .then(function (answer) {
          if (!answer.response.ok || !answer.body) throw new Error("no replies");
          answer.body.replies.forEach(function (reply) {
            var parent = document.getElementById("comment-" + reply.parent_id);
            if (!parent || !thread.contains(parent)) parent = thread;
            parent.parleyReplies.appendChild(renderComment(reply, parent.parleyDepth + 1, parent, self.onReply));
          });
          tidy(thread);
          cursor = answer.body.next_cursor;
          if (!cursor) {
            button.remove();
            thread.parleyMoreReplies = null;
          }
        })
        .catch(function () {
          failed = true;
          button.insertAdjacentElement("afterend", problem);
        })
        .then(function () {
          button.disabled = false;
          return Boolean(cursor) && !failed;
        });
    }
    button.addEventListener("click", more);
    thread.parleyMoreReplies = more;
    thread.appendChild(button);
  };

  CommentList.prototype.showProblem = function () {
    this.problem = element("div", "parley-error");
    this.problem.setAttribute("role", "alert");
    this.problem.appendChild(element("p", null, t("loadFailed")));
    var retry = element("button", "parley-retry", t("retry"));
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
    this.announcer = element("p", "parley-announcer");
    this.announcer.setAttribute("aria-live", "polite");
    this.status.insertAdjacentElement("afterend", this.announcer);
    this.home = document.createComment(" parley: the comment form's place ");
    form.parentNode.insertBefore(this.home, form);
    this.parentField = element("input");
    this.parentField.type = "hidden";
    this.parentField.name = "parent_id";
    this.replying = null;
    addHoneypot(form);
    this.previewer = new MessagePreview(api, this);
    form.addEventListener("submit", this.submit.bind(this));
    form.addEventListener("input", this.fieldEdited.bind(this));
    form.addEventListener("keydown", this.escape.bind(this));
  }

  /* Moves the form under `comment` ("Replying to NAME", a Cancel button) and focuses its first field. */
  CommentForm.prototype.replyTo = function (comment, replyButton) {
    this.goHome();
    this.clearErrors();
    var name = comment.parleyName;
    var slot = element("div", "parley-reply-form");
    var banner = element("p", "parley-replying", t("replyingTo", { name: name }) + " ");
    var cancel = element("button", "parley-cancel", t("cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", this.cancel.bind(this));
    banner.appendChild(cancel);
    slot.appendChild(banner);
    slot.appendChild(this.form);
    slot.appendChild(this.status);
    comment.insertBefore(slot, comment.parleyReplies);
    this.parentField.value = comment.id.slice("comment-".length);
    this.form.appendChild(this.parentField);
    this.replying = { slot: slot, button: replyButton };
    this.announce(t("replyingTo", { name: name }));
    var first = Array.prototype.find.call(this.form.elements, function (field) {
      return field.type !== "hidden" && field.tabIndex >= 0 && !field.disabled;
    });
    if (first) first.focus();
  };

  CommentForm.prototype.cancel = function () {
    var button = this.replying && this.replying.button;
    this.goHome();
    this.clearErrors();
    this.announce(t("cancelled"));
    if (button) button.focus();
  };

  CommentForm.prototype.escape = function (event) {
    if (event.key === "Escape" && this.replying) this.cancel();
  };

  /* The form (and its status) back in its place in the page, a plain comment again. */
  CommentForm.prototype.goHome = function () {
    if (this.replying) {
      this.replying.slot.remove();
      this.replying = null;
    }
    this.parentField.remove();
    this.home.parentNode.insertBefore(this.form, this.home.nextSibling);
    this.form.insertAdjacentElement("afterend", this.status);
  };

  CommentForm.prototype.announce = function (text) {
    this.announcer.textContent = "";
    this.announcer.textContent = text;
  };

  // A field people never see or reach: bots that fill every field fill it, and the API then holds
  // the comment as spam. Its name is "homepage" (docs/security.md).
  function addHoneypot(form) {
    if (form.elements.namedItem("homepage")) return;
    var wrapper = document.createElement("div");
    wrapper.className = "parley-honeypot";
    wrapper.setAttribute("aria-hidden", "true");
    var label = document.createElement("label");
    label.textContent = t("honeypot");
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
    payload.lang = language;
    return payload;
  };

  CommentForm.prototype.submit = function (event) {
    event.preventDefault();
    var self = this;
    if (!this.replying) this.form.insertAdjacentElement("afterend", this.status);
    this.clearErrors();
    this.setSending(true);
    fetch(this.api + "/api/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify((this.sent = this.submission())),
    })
      .then(readJson)
      .then(function (answer) {
        self.answered(answer.response, answer.body);
      })
      .catch(function () {
        self.say(t("unreachable"), "error");
      })
      .then(function () {
        self.setSending(false);
      });
  };

  CommentForm.prototype.answered = function (response, body) {
    if (response.ok && body) {
      if (this.onAccepted) this.onAccepted(body, this.sent);
      this.form.reset();
      this.previewer.clear();
      if (this.replying) this.replied();
      else this.say(t("pending"), "success");
      return;
    }
    var error = (body && body.error) || {};
    if (response.status === 429) {
      var wait = parseInt(response.headers.get("Retry-After") || "", 10);
      this.say(wait >= 0 ? plural("tooQuick", wait) : t("tooQuickLater"), "error");
      return;
    }
    var fieldErrors = (error.errors || []).filter(function (fieldError) { return fieldError.field; });
    if (!fieldErrors.length && error.field) fieldErrors = [{ field: error.field, message: error.message }];
    var shown = fieldErrors.filter(this.markField, this);
    if (fieldErrors.some(function (fieldError) { return fieldError.field === "parent_id"; })) {
      this.say(t("parentGone"), "error");
    } else if (shown.length) {
      this.say(t("invalid"), "error");
      this.form.querySelector('[aria-invalid="true"]').focus();
    } else {
      this.say(catalog.errors[error.code] || t("failed", { status: response.status }), "error");
    }
  };

  /* A reply sent: the form goes back to its place, the confirmation stays under the comment answered. */
  CommentForm.prototype.replied = function () {
    var comment = this.replying.slot.parentNode;
    var button = this.replying.button;
    this.goHome();
    comment.insertBefore(this.status, comment.parleyReplies);
    this.say(t("replyPending"), "success");
    button.focus();
  };

  /* Shows one field's error next to it; false when the form has no such field. */
  CommentForm.prototype.markField = function (fieldError) {
    var field = this.form.elements.namedItem(fieldError.field);
    if (!field || !field.id || field.type === "hidden" || document.getElementById(field.id + "-error")) return false;
    var message = element("p", "parley-field-error", catalog.fields[fieldError.field] || catalog.fields.other);
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
      this.button.textContent = t("sending");
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

  /*
   * Under the message field: a line of formatting help, and a Preview button that shows the HTML the
   * server would store for the message (POST /api/comments/preview), so the preview is what will show.
   */
  function MessagePreview(api, commentForm) {
    this.api = api;
    this.commentForm = commentForm;
    var field = commentForm.form.elements.namedItem("message");
    if (!field || !field.parentNode) return;
    var help = element("p", "parley-format-help", t("formattingHelp"));
    help.id = "parley-format-help";
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + help.id);
    this.button = element("button", "parley-preview-button", t("preview"));
    this.button.type = "button";
    this.button.addEventListener("click", this.show.bind(this));
    field.addEventListener("input", this.clear.bind(this)); // a preview never shows an older text
    this.region = element("div", "parley-preview");
    this.region.setAttribute("aria-live", "polite");
    hide(this.region);
    field.parentNode.appendChild(help);
    field.parentNode.appendChild(this.button);
    field.parentNode.appendChild(this.region);
  }

  MessagePreview.prototype.show = function () {
    var self = this;
    var commentForm = this.commentForm;
    commentForm.clearErrors();
    this.button.disabled = true;
    fetch(this.api + "/api/comments/preview", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(commentForm.submission()),
    })
      .then(readJson)
      .then(function (answer) {
        if (answer.response.ok && answer.body) {
          self.region.replaceChildren(element("p", "parley-preview-label", t("previewOf")), safeMessage(answer.body.message_html));
          show(self.region);
        } else {
          self.clear();
          commentForm.answered(answer.response, answer.body);
        }
      })
      .catch(function () {
        commentForm.say(t("unreachable"), "error");
      })
      .then(function () {
        self.button.disabled = false;
      });
  };

  MessagePreview.prototype.clear = function () {
    if (!this.region) return;
    this.region.replaceChildren();
    hide(this.region);
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

  /*
   * The reader's own comments. A submission's edit_token is kept in localStorage until edit_until; while
   * it is valid the comment shows Edit and Delete (PUT and DELETE /api/comments/{id}, the token as
   * Authorization: Bearer). Own comments still awaiting moderation show to their author alone, marked so.
   */
  var OWN_KEY = "parley-own-comments";

  function OwnComments(api, list) {
    this.api = api;
    this.list = list;
  }

  OwnComments.prototype.stored = function () {
    var all;
    try {
      all = JSON.parse(window.localStorage.getItem(OWN_KEY) || "{}") || {};
    } catch (error) {
      all = {};
    }
    var now = Date.now();
    Object.keys(all).forEach(function (id) {
      if (!(all[id] && all[id].until > now)) delete all[id];
    });
    return all;
  };

  OwnComments.prototype.store = function (all) {
    try {
      window.localStorage.setItem(OWN_KEY, JSON.stringify(all));
    } catch (error) {
      // Storage full or disabled: the comment simply cannot be changed from this browser.
    }
  };

  OwnComments.prototype.forget = function (id) {
    var all = this.stored();
    delete all[id];
    this.store(all);
  };

  OwnComments.prototype.accepted = function (body, sent) {
    var until = Date.parse(body.edit_until || "");
    if (!body.edit_token || !sent || isNaN(until)) return;
    var all = this.stored();
    all[body.id] = { token: body.edit_token, until: until, slug: sent.article_slug, name: sent.name, message: sent.message, pending: true };
    this.store(all);
    this.decorate();
  };

  /* Edit and Delete on each of the reader's comments still in its window; their pending ones shown first. */
  OwnComments.prototype.decorate = function () {
    var self = this;
    var all = this.stored();
    var container = this.list.parts.container;
    Object.keys(all).forEach(function (id) {
      var own = all[id];
      if (own.slug !== self.list.slug) return;
      var article = document.getElementById("comment-" + id);
      if (article && article.classList.contains("parley-comment-removed")) return;
      if (!article) {
        article = self.pendingArticle(id, own);
        container.insertBefore(article, container.firstChild);
        hide(self.list.parts.empty);
      }
      if (!article.querySelector(".parley-own-actions")) article.insertBefore(self.actions(id, article), article.parleyReplies);
    });
    if (!this.ticking) {
      this.ticking = true;
      setTimeout(this.expire.bind(this), 1000);
    }
  };

  /* Buttons go once their token does (checked every second while any is shown). */
  OwnComments.prototype.expire = function () {
    var all = this.stored();
    var shown = document.querySelectorAll(".parley-own-actions");
    Array.prototype.forEach.call(shown, function (actions) {
      if (!all[actions.parleyId]) actions.remove();
    });
    this.ticking = shown.length > 0;
    if (this.ticking) setTimeout(this.expire.bind(this), 1000);
  };

  OwnComments.prototype.pendingArticle = function (id, own) {
    var article = element("article", "parley-comment parley-own-pending");
    article.id = "comment-" + id;
    var meta = element("header", "parley-comment-meta");
    meta.appendChild(element("span", "parley-comment-author", own.name));
    article.appendChild(meta);
    article.appendChild(element("p", "parley-pending", t("ownPending")));
    article.appendChild(textMessage(own.message));
    article.parleyReplies = element("div", "parley-replies");
    article.appendChild(article.parleyReplies);
    return article;
  };

  function textMessage(text) {
    var body = element("div", "parley-comment-body");
    text.split(/\n{2,}/).forEach(function (part) {
      body.appendChild(element("p", null, part));
    });
    return body;
  }

  OwnComments.prototype.actions = function (id, article) {
    var actions = element("div", "parley-own-actions");
    actions.parleyId = id;
    var edit = element("button", "parley-edit", t("edit"));
    var remove = element("button", "parley-delete", t("delete"));
    edit.type = remove.type = "button";
    edit.addEventListener("click", this.startEdit.bind(this, id, article, actions));
    remove.addEventListener("click", this.remove.bind(this, id, article, actions));
    actions.appendChild(edit);
    actions.appendChild(remove);
    return actions;
  };

  OwnComments.prototype.startEdit = function (id, article, actions) {
    var self = this;
    var own = this.stored()[id];
    if (!own) return this.closed(article, actions);
    var editor = element("div", "parley-editor");
    var label = element("label", "parley-editor-label", t("edit"));
    var area = element("textarea");
    area.id = label.htmlFor = "parley-edit-" + id;
    area.value = own.message;
    area.rows = 5;
    var save = element("button", "parley-save", t("save"));
    var cancel = element("button", "parley-cancel", t("cancel"));
    save.type = cancel.type = "button";
    cancel.addEventListener("click", function () { editor.remove(); show(actions); });
    save.addEventListener("click", function () { self.save(id, article, actions, editor, area.value); });
    editor.appendChild(label);
    editor.appendChild(area);
    editor.appendChild(save);
    editor.appendChild(cancel);
    hide(actions);
    article.insertBefore(editor, actions);
    area.focus();
  };

  OwnComments.prototype.request = function (method, id, payload) {
    var own = this.stored()[id];
    var headers = { Accept: "application/json", Authorization: "Bearer " + (own ? own.token : "") };
    if (payload) headers["Content-Type"] = "application/json";
    return fetch(this.api + "/api/comments/" + encodeURIComponent(id), {
      method: method,
      headers: headers,
      body: payload ? JSON.stringify(payload) : undefined,
    }).then(readJson);
  };

  OwnComments.prototype.save = function (id, article, actions, editor, text) {
    var self = this;
    this.request("PUT", id, { message: text })
      .then(function (answer) {
        if (answer.response.status === 403 || answer.response.status === 410 || answer.response.status === 404) {
          editor.remove();
          return self.closed(article, actions);
        }
        if (!answer.response.ok) {
          var problem = (answer.body && answer.body.error && answer.body.error.message) || t("editFailed");
          return self.note(editor, problem, "error");
        }
        var all = self.stored();
        if (all[id]) {
          all[id].message = text;
          all[id].pending = true;
          self.store(all);
        }
        editor.remove();
        show(actions);
        var body = article.querySelector(".parley-comment-body");
        if (body) body.replaceWith(textMessage(text));
        if (!article.classList.contains("parley-own-pending")) self.recount(-1);
        article.classList.add("parley-own-pending");
        var pending = article.querySelector(".parley-pending");
        if (!pending) article.insertBefore((pending = element("p", "parley-pending")), article.querySelector(".parley-comment-body"));
        pending.textContent = t("editPending");
      })
      .catch(function () {
        self.note(editor, t("editFailed"), "error");
      });
  };

  OwnComments.prototype.remove = function (id, article, actions) {
    var self = this;
    if (!window.confirm(t("confirmDelete"))) return;
    this.request("DELETE", id, null)
      .then(function (answer) {
        if (answer.response.status === 204) {
          self.forget(id);
          if (!article.classList.contains("parley-own-pending")) self.recount(-1);
          var removed = element("article", "parley-comment parley-comment-removed");
          removed.id = article.id;
          removed.appendChild(element("p", "parley-removed", t("deleted")));
          removed.parleyReplies = article.parleyReplies;
          removed.appendChild(article.parleyReplies);
          article.replaceWith(removed);
          return;
        }
        self.closed(article, actions);
      })
      .catch(function () {
        self.note(actions, t("editFailed"), "error");
      });
  };

  OwnComments.prototype.closed = function (article, actions) {
    this.forget(actions.parleyId);
    actions.remove();
    this.note(article.parleyReplies, t("editClosed"), "error");
  };

  OwnComments.prototype.note = function (after, text, kind) {
    var note = element("p", "parley-status parley-status-" + kind, text);
    note.setAttribute("role", "status");
    after.insertAdjacentElement("beforebegin", note);
  };

  OwnComments.prototype.recount = function (delta) {
    var count = this.list.parts.count;
    var value = parseInt(count.textContent, 10);
    if (!isNaN(value)) count.textContent = String(Math.max(0, value + delta));
  };

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
    var root = form.closest(".comments-section") || form.parentNode;
    var theme = script && script.getAttribute("data-theme");
    if (THEMES.indexOf(theme) >= 0 && !root.hasAttribute("data-theme")) root.setAttribute("data-theme", theme);
    loadCatalog(chooseLanguage()).then(function () {
      root.lang = language;
      Array.prototype.forEach.call(root.querySelectorAll("[data-parley-text]"), function (marked) {
        var text = catalog.widget[marked.getAttribute("data-parley-text")];
        if (typeof text === "string") marked.textContent = text;
      });
      Array.prototype.forEach.call(root.querySelectorAll("[data-parley-placeholder]"), function (marked) {
        var text = catalog.widget[marked.getAttribute("data-parley-placeholder")];
        if (typeof text === "string") marked.placeholder = text;
      });
      var api = apiBase();
      var commentForm = new CommentForm(api, form);
      var list = new CommentList(api, slugInput.value, parts, commentForm);
      list.own = new OwnComments(api, list);
      commentForm.onAccepted = list.own.accepted.bind(list.own);
      list.start();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
