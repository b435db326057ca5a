# The API / Ray image used by docker-compose.yml.
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
COPY ui ui
COPY alembic.ini ./
RUN pip install --no-cache-dir -c constraints.txt .
EXPOSE 8000
CMD ["sh", "-c", "alembic upgrade head && uvicorn api.app:create_app --factory --host 0.0.0.0 --port 8000"]
