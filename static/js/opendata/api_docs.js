// The browsable API reference: Swagger UI (shipped by django-ninja, served from our own
// static files) reading our OpenAPI document. Without JavaScript the page still lists links.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.openapiUrl,
    domNode: element,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    tryItOutEnabled: true,
  });
})();
