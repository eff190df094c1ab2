// Location without a map service: the device's GPS or a tap on a grid around the unit.
(function () {
  var tools = document.querySelector(".map-tools");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!tools || !lat || !lng) return;
  tools.hidden = false;
  var grid = document.getElementById("map-pick");
  var dot = grid.querySelector(".map-dot");
  var centerLat = parseFloat(grid.dataset.lat), centerLng = parseFloat(grid.dataset.lng);
  var span = 0.09; // about 10 km across at the equator
  function show() {
    var la = parseFloat(lat.value), ln = parseFloat(lng.value);
    if (isNaN(la) || isNaN(ln)) { dot.hidden = true; return; }
    var x = (ln - (centerLng - span / 2)) / span, y = ((centerLat + span / 2) - la) / span;
    if (x < 0 || x > 1 || y < 0 || y > 1) { dot.hidden = true; return; }
    dot.style.left = (x * 100) + "%"; dot.style.top = (y * 100) + "%"; dot.hidden = false;
  }
  grid.addEventListener("click", function (e) {
    var r = grid.getBoundingClientRect();
    var x = (e.clientX - r.left) / r.width, y = (e.clientY - r.top) / r.height;
    lat.value = (centerLat + span / 2 - y * span).toFixed(6);
    lng.value = (centerLng - span / 2 + x * span).toFixed(6);
    show();
  });
  lat.addEventListener("input", show); lng.addEventListener("input", show);
  var button = document.getElementById("use-location");
  if (!navigator.geolocation) { button.hidden = true; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      lat.value = p.coords.latitude.toFixed(6); lng.value = p.coords.longitude.toFixed(6); show();
    });
  });
  show();
  // A double tap on "send" must not send twice: the server also de-duplicates by submission key.
  var form = document.getElementById("report-form");
  form.addEventListener("submit", function () {
    var b = form.querySelector("button[type=submit]");
    setTimeout(function () { b.disabled = true; }, 0);
  });
})();
