# One image for the four services; docker-compose.yml picks the service with `command`.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY shared ./shared
COPY services ./services
COPY infra ./infra
COPY config ./config
COPY docs/asyncapi.json ./docs/asyncapi.json
RUN uv sync --frozen --no-dev
ENV HTTP_HOST=0.0.0.0 VANTHU_ENV=production LOG_FORMAT=json
CMD ["vanthu-ingest"]
