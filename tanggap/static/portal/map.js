// Draw the located published cases on a Leaflet map; the list below works without it.
(function () {
  var box = document.getElementById("portal-map");
  if (!box || !window.L || !window.fetch) return;
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false }).setView([-2.5, 118], 4);
  map.attributionControl.setPrefix(false);
  L.tileLayer(box.getAttribute("data-tiles"), {
    maxZoom: 18,
    attribution: box.getAttribute("data-attribution")
  }).addTo(map);
  fetch(box.getAttribute("data-points"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.reference + ": " + p.title;
          var status = document.createElement("div");
          status.textContent = p.status;
          var popup = document.createElement("div");
          popup.appendChild(link);
          popup.appendChild(status);
          marker.bindPopup(popup);
        }
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
    });
})();
