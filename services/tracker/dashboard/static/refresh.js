/* Vanthu dashboard: refresh the live part of the page without reloading it (vendored, no CDN).
   Every N seconds (data-refresh on #live) fetch the same URL with ?fragment=1 and swap it in.
   A 401 means the sign-in expired: reload, and the server redirects to the login page. */
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var every = Math.max(2, parseInt(live.getAttribute("data-refresh"), 10) || 15) * 1000;
  var busy = false;
  function refresh() {
    var typing = document.activeElement && live.contains(document.activeElement) &&
      /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(document.activeElement.tagName);
    if (busy || document.hidden || typing || live.querySelector("details.review-form[open]")) {
      return; /* a review form being filled in (issue 18) is not wiped */
    }
    busy = true;
    var url = new URL(window.location.href);
    url.searchParams.set("fragment", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== undefined) {
          live.innerHTML = html;
          live.setAttribute("data-refreshed", String(Date.now()));
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ })
      .then(function () { busy = false; });
  }
  window.setInterval(refresh, every);
})();
