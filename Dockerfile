# kb service image. nodejieba compiles from source, so the build stage needs a toolchain.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
ENV HOST=0.0.0.0 PORT=3000 KB_CONTENT_DIR=/app/content KB_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3000
# Same command line as `npm start` (package.json); the benchmark starts the service with it too.
CMD ["node", "--import", "tsx", "server/main.ts"]
