// Leaflet maps drawn from data attributes, so no inline script is needed (strict CSP).
// <div class="ps-map" data-geojson-url="..." data-tiles="..." data-attribution="...">
// A map with data-draw-target="ID" lets a person click points to draw a polygon, written as
// GeoJSON into the textarea with that id (the same field works by hand without JavaScript).
(function () {
  "use strict";
  if (!window.L) return;

  function styleFor(feature) {
    var kind = feature && feature.properties && feature.properties.role;
    if (kind === "focus") return { color: "#1d70b8", weight: 3, fillOpacity: 0.15 };
    if (kind === "landmark") return { color: "#5694ca", weight: 6, fillOpacity: 0.5 };
    if (kind === "overlap") return { color: "#f47738", weight: 2, dashArray: "4 4", fillOpacity: 0.05 };
    return { color: "#505a5f", weight: 1.5, fillOpacity: 0.08 };
  }

  function linkPopup(feature, layer) {
    var p = feature.properties || {};
    if (p.name) layer.bindTooltip(p.name);
    if (p.url) layer.on("click", function () { window.location.href = p.url; });
  }

  function setUp(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    map.setView([53.48, -2.24], 10);
    if (el.dataset.geojsonUrl) {
      fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var layer = L.geoJSON(data, { style: styleFor, onEachFeature: linkPopup }).addTo(map);
          // Frame the place itself; its neighbours are context.
          var focus = L.geoJSON({ type: "FeatureCollection", features: data.features.filter(function (f) {
            return f.properties && f.properties.role === "focus";
          }) });
          var b = focus.getLayers().length ? focus.getBounds() : layer.getBounds();
          if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
        });
    }
    if (el.dataset.drawTarget) enableDrawing(map, document.getElementById(el.dataset.drawTarget));
  }

  function enableDrawing(map, field) {
    if (!field) return;
    var points = [];
    var shape = null;
    function write() {
      if (shape) map.removeLayer(shape);
      if (points.length === 0) { field.value = ""; return; }
      shape = L.polygon(points, { color: "#f47738" }).addTo(map);
      if (points.length < 3) return;
      var ring = points.map(function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; });
      ring.push(ring[0]);
      field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    }
    map.on("click", function (e) { points.push(e.latlng); write(); });
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "govuk-button govuk-button--secondary";
    undo.textContent = "Remove last point";
    undo.addEventListener("click", function () { points.pop(); write(); });
    map.getContainer().insertAdjacentElement("afterend", undo);
  }

  document.querySelectorAll(".ps-map").forEach(setUp);
})();
