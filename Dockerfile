# bnacos image: build the single executable, ship it on a slim base as a non-root user.
# Build: docker build -t bnacos .    Run: docker run -p 8848:8848 -p 9848:9848 -v bnacos-data:/data bnacos
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx bun scripts/build.ts

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data bnacos && mkdir -p /data && chown bnacos /data
COPY --from=build /src/dist/bnacos /usr/local/bin/bnacos
USER bnacos
ENV BNACOS_DATA_DIR=/data BNACOS_HOST=0.0.0.0
VOLUME /data
EXPOSE 8848 9848
# The readiness endpoint answers 200 once HTTP, gRPC and storage are up.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD ["bnacos", "health"]
ENTRYPOINT ["bnacos"]
