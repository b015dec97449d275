# brandrail HTTP service: API, reviewer console and offline API docs (docs/server.md).
#   docker build -t brandrail .
#   docker run --rm -p 8080:8080 -v "$PWD/brandrail.yaml:/etc/brandrail/brandrail.yaml:ro" \
#     -e BRANDRAIL_DB=postgresql+psycopg://gate@db/brandrail brandrail
# compose.yaml runs it with PostgreSQL.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY src ./src
# The server extra (it lists python-multipart for the console's forms, prometheus-client for /metrics and
# PyJWT for JWT bearer tokens), pinned by constraints.txt.
RUN pip install --no-cache-dir --prefix=/install -c constraints.txt ".[server]"

FROM python:3.11-slim
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /var/lib/brandrail --create-home brandrail \
    && mkdir -p /etc/brandrail && chown brandrail /var/lib/brandrail
USER brandrail
WORKDIR /var/lib/brandrail
ENV PYTHONUNBUFFERED=1 \
    BRANDRAIL_POLICY=/etc/brandrail/brandrail.yaml \
    BRANDRAIL_DB=sqlite:////var/lib/brandrail/gate.db \
    BRANDRAIL_WORKERS=1
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=2).status != 200)"
# `docker run IMAGE` serves; `docker run IMAGE keys create NAME --role agent` manages keys in $BRANDRAIL_DB;
# any other brandrail command runs as given.
ENTRYPOINT ["/bin/sh", "-c", "case \"$1\" in \"\") exec brandrail serve --host 0.0.0.0 --port 8080 --policy \"$BRANDRAIL_POLICY\" --db \"$BRANDRAIL_DB\" --workers \"$BRANDRAIL_WORKERS\" ;; keys) exec brandrail \"$@\" --db \"$BRANDRAIL_DB\" ;; *) exec brandrail \"$@\" ;; esac", "brandrail"]
