/* Parley: shows a form post's outcome (?comment=pending|invalid|rate_limited) when the page comes back from the API. */
(function () {
  var query = new URLSearchParams(location.search), outcome = query.get("comment");
  var form = document.getElementById("comment-form");
  if (!form || ["pending", "invalid", "rate_limited"].indexOf(outcome) < 0) return;
  var status = document.createElement("p"), labels = [];
  (query.get("fields") || "").split(",").forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (!field || !field.labels || !field.labels.length) return;
    field.setAttribute("aria-invalid", "true");
    labels.push(field.labels[0].textContent.replace("*", "").trim());
  });
  status.id = "comment-status";
  status.setAttribute("role", "status");
  status.className = "parley-status parley-status-" + (outcome === "pending" ? "success" : "error");
  status.textContent = outcome === "pending"
    ? "Thank you! Your comment is awaiting moderation."
    : outcome === "rate_limited"
      ? "You are posting too quickly. Please wait " + (query.get("retry_after") || "a minute") + " seconds and send it again."
      : "Your comment was not saved. Please check " + (labels.join(", ") || "the form") + " and send it again.";
  form.insertAdjacentElement("afterend", status);
})();
