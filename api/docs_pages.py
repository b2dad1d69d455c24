"""The API's documentation pages, Swagger UI and Redoc (drf-spectacular, served from the sidecar
package), under the site's Content-Security-Policy.

Both templates (api/templates/api/) put the request's nonce on their inline script and style.
Swagger UI needs nothing more. Redoc does three things the site-wide policy forbids, each allowed
on its page only, and none of them a script:
- at load, before it can be handed the nonce, it injects the perfect-scrollbar stylesheet (and
  first an empty <style>): allowed by the hashes of exactly those two texts. A new sidecar
  release that changes them fails tests/e2e/test_csp.py, whose message names the new hash;
- it builds its search index in a worker made from a blob: URL;
- its "API docs by Redocly" footer shows Redocly's logo from cdn.redoc.ly.
"""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

REDOC_STYLE_HASHES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's CSS
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style> it starts from
]

swagger = SpectacularSwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
redoc = csp_update(
    {
        "style-src": REDOC_STYLE_HASHES,
        "worker-src": ["blob:"],
        "img-src": ["https://cdn.redoc.ly"],
    }
)(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"))
