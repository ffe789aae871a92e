# bnacos image: build the single executable (migrations and console embedded), ship it alone on a slim base.
#
#   docker build -t bnacos .
#   docker run -d -p 8848:8848 -p 9848:9848 -v bnacos-data:/data bnacos
#   docker buildx build --platform linux/amd64,linux/arm64 -t you/bnacos --push .   # both architectures
#
# The official Nacos image's environment names work where they mean the same thing (MODE=standalone,
# NACOS_AUTH_ENABLE, NACOS_AUTH_TOKEN, NACOS_SERVER_PORT …; see docs/configuration.md and docs/deployment.md).

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Bun itself comes from npm (the `bun` devDependency) for the platform being built.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx bun scripts/build.ts && ./dist/bnacos --version

FROM debian:bookworm-slim
# A fixed non-root uid, so a host directory mounted at /data can be chowned to it ahead of time.
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin bnacos \
 && mkdir -p /data && chown bnacos:bnacos /data
COPY --from=build /src/dist/bnacos /usr/local/bin/bnacos
USER bnacos
WORKDIR /data
ENV BNACOS_DATA_DIR=/data BNACOS_HOST=0.0.0.0
VOLUME /data
# 8848: HTTP (OpenAPI, console, /metrics); 9848: SDK gRPC (HTTP port + 1000, as the SDKs compute it).
EXPOSE 8848 9848
# Readiness answers 200 once HTTP, gRPC and storage are up; `bnacos health` reads the same port settings.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["bnacos", "health"]
# SIGTERM (docker stop) drains: clients are told to reconnect elsewhere, the database is closed cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["bnacos"]
