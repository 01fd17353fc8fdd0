# wb-pulse image: one image for the api, worker and migrate services (docker-compose.yml).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY application ./application
COPY adapters ./adapters
COPY bootstrap ./bootstrap
COPY simulator ./simulator
RUN pip install . && useradd --create-home --uid 10001 wbpulse
USER wbpulse
ENV HOST=0.0.0.0 PORT=8000
EXPOSE 8000
CMD ["wbpulse", "api"]
