# mikeyconf in a container: the static `dist` binary (`cargo build-static`,
# .cargo/config.toml: fat LTO, glibc linked statically) on an empty image, run as a non-root
# user. Not built where it was written (that machine has no container engine): README,
# "Container", says what was checked and how to use it.
#
#   docker build -t mikeyconf .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/work" mikeyconf check --format sarif out/
#
# The build-static alias names the x86-64 Linux target: build on (or for) linux/amd64.

# The newest stable 1.x toolchain: mikeyconf needs 1.89 or later (Cargo.toml rust-version),
# and is built and tested here with a newer one.
FROM rust:1-bookworm AS build
WORKDIR /src
# .dockerignore leaves out target/, reports/ and .git.
COPY . .
RUN cargo build-static --locked \
 && cp target/x86_64-unknown-linux-gnu/dist/mikeyconf /mikeyconf \
 && /mikeyconf --version

# Nothing but the binary, and the bundled vectors at the path the binary was built from
# (/src, its CARGO_MANIFEST_DIR), where `mikeyconf run` looks when ./vectors is absent.
FROM scratch
COPY --from=build /mikeyconf /usr/local/bin/mikeyconf
COPY --from=build /src/vectors /src/vectors
ENV PATH=/usr/local/bin
# Any non-root uid: the image has no /etc/passwd to need. `-u "$(id -u):$(id -g)"` at run
# time lets reports be written into a mounted folder owned by the caller.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["mikeyconf"]
CMD ["--help"]
