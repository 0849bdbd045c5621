#!/usr/bin/env bash
# Installs what Vanthu needs on a fresh machine: uv (into ~/.cache/vanthu/tools), the locked Python
# environment (.venv), the toolchains that provision Kafka and FerretDB (Java 17, Maven, Go), and
# Tesseract with its Vietnamese model (required: ingest reads scanned letters with it), and
# Prometheus (the metrics e2e test scrapes the services with it; promtool checks deploy/).
# Kafka's jars and the FerretDB binary themselves are fetched/built on first use, into ~/.cache/vanthu.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${VANTHU_CACHE:-$HOME/.cache/vanthu}"
mkdir -p "$CACHE"

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
command -v go >/dev/null || need_apt+=(golang-go)
# Headless Chromium for the dashboard's browser test (Debian's package; no browser download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# OCR of scanned letters (Debian's Tesseract and its Vietnamese model), and the DejaVu font the
# scan-like test pages are rendered with. Required: the OCR tests fail without them.
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } ||
  need_apt+=(tesseract-ocr tesseract-ocr-vie)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need_apt+=(fonts-dejavu-core)
# Prometheus and promtool (Debian's package): the metrics e2e test and the check of deploy/.
{ command -v prometheus >/dev/null && command -v promtool >/dev/null; } || need_apt+=(prometheus)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bootstrap: installing ${need_apt[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "bootstrap: please install ${need_apt[*]} (Java 17, Maven, Go, Tesseract, Prometheus, Chromium)" >&2
    [[ " ${need_apt[*]} " == " chromium " ]] || exit 1  # Chromium alone is optional
  fi
fi

UV="$(command -v uv || true)"
if [ -z "$UV" ]; then
  UV="$CACHE/tools/bin/uv"
  if [ ! -x "$UV" ]; then
    echo "bootstrap: installing uv into $CACHE/tools"
    python3 -m venv "$CACHE/tools"
    "$CACHE/tools/bin/pip" install -q "uv==0.13.8"
  fi
fi
"$UV" sync --frozen --quiet
