#!/usr/bin/env bash
# Makes the folder that a GPU machine without a JVM or network needs to run the workbench on its
# own PyTorch (tools/gpu/verify-gpu.sh): a jlinked Java runtime, the workbench's classes and the
# jars a build uses (not the 450 MB of CPU natives, not ND4J or JavaFX), DJL's JNI sources at
# the DJL version of pom.xml with the JNI header javac generates from them, the JDK's jni.h, and
# the two scripts. DJL's sources are Apache-2.0 and go with their LICENSE and NOTICE; they come
# from a local clone of deepjavalibrary/djl and are never committed here.
#
#   tools/gpu/prepare-bundle.sh --djl-repo PATH_TO_DJL_GIT [--out .gpu-bundle]
#
# Run after ./mvnw compile. The folder is git-ignored; carry it to the machine (64 MiB at most).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
djl_repo="" out="$root/.gpu-bundle"
while [ $# -gt 0 ]; do
  case "$1" in
    --djl-repo) djl_repo="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "prepare-bundle: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$djl_repo" ]; then
  echo "usage: prepare-bundle.sh --djl-repo PATH_TO_DJL_GIT [--out DIR]" >&2
  exit 2
fi
# shellcheck source=scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"
coar_find_jdk
classes="$root/target/classes"
classpath_file="$root/target/runtime-classpath.txt"
if [ ! -d "$classes" ] || [ ! -f "$classpath_file" ]; then
  echo "prepare-bundle: run ./mvnw compile first" >&2
  exit 1
fi
djl_version="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$root/pom.xml" | head -1)"

rm -rf "$out"
mkdir -p "$out/app/lib" "$out/djl-src/jni-header" "$out/djl-src/jni-include/linux" "$out/bin"

# DJL's native sources at exactly the DJL version the workbench runs: the bridge must match its Java side.
git -C "$djl_repo" archive "v$djl_version" \
  engines/pytorch/pytorch-native/src/main/native api/src/main/native LICENSE NOTICE | tar -x -C "$out/djl-src"
jars=()
while IFS= read -r jar; do jars+=("$jar"); done < <(tr ':' '\n' <"$classpath_file")
engine_jar="$(printf '%s\n' "${jars[@]}" | grep "/pytorch-engine-$djl_version.jar$")"
api_jar="$(printf '%s\n' "${jars[@]}" | grep "/api-$djl_version.jar$")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$djl_repo" show \
  "v$djl_version:engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" >"$work/PyTorchLibrary.java"
"$JAVA_HOME/bin/javac" -h "$out/djl-src/jni-header" -d "$work/classes" -cp "$api_jar:$engine_jar" "$work/PyTorchLibrary.java"
cp "$JAVA_HOME/include/jni.h" "$out/djl-src/jni-include/"
cp "$JAVA_HOME/include/linux/jni_md.h" "$out/djl-src/jni-include/linux/"
echo "$djl_version" >"$out/djl-src/djl-version"

# The jars a build, info, doctor and the CLI need; natives come from the machine's PyTorch.
for jar in "${jars[@]}"; do
  case "$(basename "$jar")" in
    picocli-*|jackson-core-*|jackson-databind-*|jackson-annotations-*|jackson-dataformat-yaml-*|snakeyaml-*|api-"$djl_version".jar|pytorch-engine-*|gson-*|jna-5*|slf4j-*|commons-compress-*)
      cp "$jar" "$out/app/lib/" ;;
  esac
done
cp -r "$classes" "$out/app/classes"

# A runtime of the platform modules those jars use (a subset of jpackage/jlink.txt's).
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.sql,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$out/runtime"
# The JVM's own symbol table (5 MiB) serves only debuggers; its dynamic symbols stay.
if command -v strip >/dev/null; then
  strip --strip-unneeded "$out/runtime/lib/server/libjvm.so"
fi

cat >"$out/bin/coar" <<'EOF'
#!/usr/bin/env bash
# The workbench's command line from this bundle's runtime and jars (no build, no network).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$here/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dai.djl.offline=true \
  -Djava.awt.headless=true ${COAR_JAVA_OPTS:-} -cp "$here/app/classes:$here/app/lib/*" org.coar.workbench.cli.Main "$@"
EOF
chmod +x "$out/bin/coar"
cp "$root/tools/gpu/build-djl-jni.sh" "$root/tools/gpu/verify-gpu.sh" "$root/tools/gpu/ablation_reference.py" "$out/"
chmod +x "$out"/*.sh

size_kib="$(du -sk "$out" | cut -f1)"
echo "prepare-bundle: $out is $((size_kib / 1024)) MiB (runtime $(du -sh "$out/runtime" | cut -f1), app $(du -sh "$out/app" | cut -f1), DJL sources $(du -sh "$out/djl-src" | cut -f1))"
if [ "$size_kib" -gt $((60 * 1024)) ]; then
  echo "prepare-bundle: larger than 60 MiB; it must travel with the working tree within 64 MiB" >&2
  exit 1
fi
