# The image of docker-compose.yml's API and Ray services.

# The web UI, built with the locked npm dependencies.
FROM node:20-slim AS ui
WORKDIR /ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY engine engine
COPY actors actors
COPY dialer dialer
COPY store store
COPY api api
COPY config config
COPY bench bench
COPY migrations migrations
COPY alembic.ini ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY --from=ui /ui/dist ui/dist
EXPOSE 8000
CMD ["sh", "-c", "alembic upgrade head && uvicorn api.app:create_app --factory --host 0.0.0.0 --port 8000"]
