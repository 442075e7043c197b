# The mock server as a container: `docker run -p 8787:8787 IMAGE` serves the API on port 8787.
#   docker run IMAGE serve --port 9000 --fixtures /f.json     any `msgflash-mock` command and options
#   docker run IMAGE fixtures                                 print the bundled fixture file
# BASE: any Debian-based image with Python 3.10+ and pip (default python:3.12-slim).
ARG BASE=python:3.12-slim

FROM ${BASE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY msgflash_lint msgflash_lint
COPY mock_server mock_server
COPY schemas schemas
COPY docs/rules.md docs/rules.md
RUN python -m venv /opt/msgflash \
    && /opt/msgflash/bin/pip install --no-cache-dir --disable-pip-version-check ".[mock]"

FROM ${BASE}
COPY --from=build /opt/msgflash /opt/msgflash
# No root inside: the mock needs no privilege (its port, 8787, is above 1024).
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin msgflash
USER 10001
ENV PATH=/opt/msgflash/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
EXPOSE 8787
# Asks whichever port the server listens on (`serve --port 9000` included) with Python alone: no curl in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD ["python", "-m", "mock_server.serving.healthcheck"]
# As PID 1, msgflash-mock stops on SIGTERM within seconds, with status 0, after answering requests in flight.
ENTRYPOINT ["msgflash-mock"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787"]
