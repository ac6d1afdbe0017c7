# syntax=docker/dockerfile:1
# Déclic: one static binary on a distroless, non-root image.
#   docker build --build-arg VERSION=1.4.0 -t declic:1.4.0 .
# The cache mounts (BuildKit, Docker's default builder) keep Go's module
# and build caches between builds: a rebuild after a code change compiles
# only what changed.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# nomsgpack leaves gin's MessagePack binding out (Déclic speaks JSON):
# a smaller binary. -X main.version is what "declic version" prints.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -tags nomsgpack -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/declic ./cmd/declic \
 && mkdir -p /out/data /out/key

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/declic /usr/local/bin/declic
COPY --from=build --chown=nonroot:nonroot /out/data /data
COPY --from=build --chown=nonroot:nonroot /out/key /key
# The pseudonym key lives in its own volume, apart from the data and its
# backups (or pass DECLIC_SECRET instead).
ENV DECLIC_ADDR=:8080 DECLIC_DATA=/data DECLIC_SECRET_FILE=/key/secret.key
VOLUME ["/data", "/key"]
EXPOSE 8080
USER nonroot:nonroot
# No shell in the image: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s CMD ["/usr/local/bin/declic", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/declic"]
