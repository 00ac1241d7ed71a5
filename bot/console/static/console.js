// 心桥 console: the only script of our own. The queue is refreshed by htmx (every 3 s); when a red case
// appears that was not in the list before, the tab's title flashes (and a short tone plays where the
// browser allows it) until the page is looked at. An expired session sends the browser to sign in.
(function () {
  "use strict";
  var seen = null, flashing = null, original = document.title;
  function redIds(el) {
    var raw = (el && el.getAttribute("data-red-ids")) || "";
    return raw.split(" ").filter(function (x) { return x; });
  }
  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      var ctx = new Ctx(), osc = ctx.createOscillator();
      osc.frequency.value = 880; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound: the title still flashes */ }
  }
  function flash(ids) {
    var label = document.body.getAttribute("data-new-red") || "【新红色案例】";
    document.body.setAttribute("data-new-red-ids", ids.join(" "));
    if (flashing) { return; }
    var on = false;
    flashing = window.setInterval(function () {
      on = !on;
      document.title = on ? label + " #" + ids.join(" #") : original;
    }, 800);
    document.title = label + " #" + ids.join(" #");
    beep();
    // a page already in front of the counsellor flashes a few seconds and stops, as when it is looked at later
    if (document.hasFocus() && !document.hidden) { window.setTimeout(stop, 3000); }
  }
  // Looking at the page stops a flash that is on; a look from before the flash (a timer scheduled by an earlier
  // focus) must not cut a new flash short.
  function lookedAt() {
    if (flashing) { window.setTimeout(stop, 3000); }
  }
  function stop() {
    if (!flashing || document.hidden) { return; }
    window.clearInterval(flashing); flashing = null; document.title = original;
  }
  function check(el) {
    var now = redIds(el);
    if (seen !== null) {
      var fresh = now.filter(function (x) { return seen.indexOf(x) < 0; });
      if (fresh.length) { flash(fresh); }
    }
    seen = now;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.getElementById("queue-rows");
    if (rows) { check(rows); }
    document.addEventListener("visibilitychange", lookedAt);
    window.addEventListener("focus", lookedAt);
  });
  // htmx:load fires on the new rows once they are in the page (afterSwap goes to the replaced element).
  document.addEventListener("htmx:load", function (evt) {
    if (evt.target && evt.target.id === "queue-rows") { check(evt.target); }
  });
  document.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail && evt.detail.xhr && evt.detail.xhr.status === 401) {
      window.location.href = "/console/signin?expired=1";
    }
  });
})();
