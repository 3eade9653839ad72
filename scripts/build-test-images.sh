#!/usr/bin/env bash
# Build Signet's real test images without a docker engine (debootstrap + umoci + skopeo) and cache them
# outside the checkout. See docs/test-images.md for what each image contains.
#
# Measured on the CI machine (Debian 12, 2 cores, deb.debian.org reachable):
#   first build (empty cache, no downloaded .debs): 75 s and 79 s at load < 2; 119 s at load 8-10 (other builds share the 2 cores)
#   first build of a changed recipe (.deb caches warm): 120 s and 150 s at load 8-10
#   cached (recipe unchanged): 0.03 s
#   the contents image adds 89 s to a first build at load 8-18 and 175 s at load 20-30 (apt 48 packages, npm install,
#   dotnet publish, unpack to contents/rootfs)
#   and ~640 MB to the key (docker-archive 280 MB, contents/rootfs 297 MB, 64 MB of new blobs in oci/)
#
# Usage:   export SIGNET_TEST_IMAGES=$(scripts/build-test-images.sh)
# Reads:   SIGNET_IMAGE_CACHE   cache root (default /var/tmp/signet-test-images)
#          SIGNET_DEBIAN_MIRROR Debian mirror (default: first non-security Debian URI in the host's apt sources)
#          SIGNET_IMAGE_REBUILD=1 build again even if the key is cached (e.g. to pick up Debian package updates)
# Prints:  the cache directory <root>/<key> as the last line of stdout; timing on stderr.
# Layout of <root>/<key>/:
#   oci/                 umoci layout, tags: minbase, multilayer, bench, contents
#   oci-zstd/            tag multilayer: the same image with zstd layers (skopeo --dest-compress-format zstd)
#   oci-v2s2/            tag multilayer: Docker v2 schema 2 manifest inside an OCI layout (skopeo --format v2s2)
#   dir-v2s2/multilayer/ skopeo dir: transport, manifest.json is Docker v2s2 (skopeo can read this one back)
#   archives/            minbase.docker.tar, multilayer.docker.tar, contents.docker.tar (docker-archive),
#                        multilayer.oci.tar (oci-archive)
#   contents/            the contents image's final root filesystem (rootfs/) and ground truth: dpkg-query.tsv,
#                        dpkg-query.l2.tsv, npm-ls.json, npm-ls.l3.json, expected.json
#   summary.json         one entry per image: transport reference, digests, layer count, sizes
#   build.log            what the tools printed
# <key> is a hash of this script, the Debian mirror and suite, the busybox-static version and the tool versions
# (umoci, skopeo, debootstrap, node, npm, the .NET SDKs):
# an edit to this file rebuilds everything; an unchanged recipe returns at once. Builds happen in a temp dir that
# is renamed into place on success, under an flock so that concurrent callers wait for one build.
# Downloaded .debs are kept in <root>/.debs/ (not part of the key) so that a rebuild does not download again.
# Debian package updates on the mirror do not change the key (set SIGNET_IMAGE_REBUILD=1 to pick them up).
# Keys not rebuilt for 14 days are deleted after a successful build.
# Must run as root (debootstrap, chroot, device nodes). The contents image also needs the host's npm (with the npm
# registry reachable) and .NET SDK (with a NuGet source that serves YamlDotNet 16.3.0).
set -euo pipefail

started=$(date +%s.%N)
elapsed() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
die() { echo "build-test-images: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot need it)"
for tool in debootstrap umoci skopeo jq openssl sha256sum flock objcopy strings; do
  command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-test-deps.sh"
done
for tool in npm dotnet; do   # the contents image's npm and .NET layers are made by the host's tools
  command -v "$tool" >/dev/null || die "$tool not found: the contents image needs the host's npm and .NET SDK"
done

root=${SIGNET_IMAGE_CACHE:-/var/tmp/signet-test-images}
suite=bookworm
mirror=${SIGNET_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # deb822 "URIs:" lines or one-line "deb URI suite" lines; skip the security archive
  mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    awk '/^URIs:/ { print $2 } /^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' |
    grep -v security | grep '/debian/\?$' | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

# busybox-static is only downloaded, never installed (it conflicts with the busybox package). Its version is
# pinned in <root>/.debs/download/busybox-static.version at the first download (apt-cache costs 0.4 s per call).
busybox_version() { apt-cache policy busybox-static 2>/dev/null | awk '/Candidate:/ { print $2 }'; }
bb_pin=$root/.debs/download/busybox-static.version
if [ -s "$bb_pin" ]; then bb_ver=$(cat "$bb_pin"); else bb_ver=$(busybox_version); fi
if [ -z "$bb_ver" ] || [ "$bb_ver" = "(none)" ]; then
  apt-get update -q >/dev/null 2>&1 || die "apt-get update failed"
  bb_ver=$(busybox_version)
  if [ -z "$bb_ver" ] || [ "$bb_ver" = "(none)" ]; then die "no busybox-static candidate in the apt sources"; fi
fi

key=$( {
  cat "${BASH_SOURCE[0]}"
  echo "mirror=$mirror suite=$suite busybox-static=$bb_ver"
  umoci --version; skopeo --version; dpkg-query -W -f='${Version}\n' debootstrap
  # the contents image's npm and .NET layers: read the versions from files (npm/dotnet --version cost 0.2 s each)
  node --version; grep -m 1 '"version"' "$(dirname "$(readlink -f "$(command -v npm)")")/../package.json"
  ls "$(dirname "$(readlink -f "$(command -v dotnet)")")/sdk"
} | sha256sum | cut -c1-16)
out=$root/$key

rebuild=${SIGNET_IMAGE_REBUILD:-0}
if [ "$rebuild" != 1 ] && [ -s "$out/summary.json" ]; then   # fast path, no lock: the dir only appears complete
  echo "build-test-images: cached ($key), $(elapsed) s" >&2
  echo "$out"
  exit 0
fi

mkdir -p "$root" "$root/.debs/debootstrap" "$root/.debs/apt" "$root/.debs/download"
exec 9>"$root/.lock-$key"
flock 9
if [ "$rebuild" != 1 ] && [ -s "$out/summary.json" ]; then   # another caller built it while we waited
  echo "build-test-images: built by a concurrent caller ($key), $(elapsed) s" >&2
  echo "$out"
  exit 0
fi

work=$(mktemp -d "$root/.tmp-$key-XXXXXX")
log=$work/build.log
on_exit() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    echo "build-test-images: FAILED after $(elapsed) s; last lines of $log:" >&2
    tail -n 40 "$log" >&2 || true
    echo "build-test-images: work dir kept for inspection: $work" >&2
  fi
}
trap on_exit EXIT
step() { echo "== [$(elapsed) s] $*" >>"$log"; }
run() { "$@" >>"$log" 2>&1; }   # quiet: output goes to the log, shown on failure

oci=$work/oci
bundle=$work/bundle
run umoci init --layout "$oci"
config() { run umoci config --image "$oci:$1" --os linux --architecture amd64 "${@:2}"; }

# ---------------------------------------------------------------------------------------------------------
# minbase: debootstrap --variant=minbase, one layer
step "minbase: debootstrap $suite from $mirror"
run umoci new --image "$oci:minbase"
run umoci unpack --image "$oci:minbase" "$bundle"
# dpkg fsyncs every file it unpacks, which dominates on a VM disk; the image does not need that durability
unsafe_io() { mkdir -p "$1/etc/dpkg/dpkg.cfg.d" && echo force-unsafe-io >"$1/etc/dpkg/dpkg.cfg.d/signet-unsafe-io"; }
unsafe_io "$bundle/rootfs"
run debootstrap --variant=minbase --cache-dir="$root/.debs/debootstrap" "$suite" "$bundle/rootfs" "$mirror"
rm -f "$bundle/rootfs/etc/dpkg/dpkg.cfg.d/signet-unsafe-io"
rm -rf "$bundle/rootfs/var/cache/apt/archives/"*.deb "$bundle/rootfs/var/lib/apt/lists/"*_Packages
run umoci repack --image "$oci:minbase" --history.created_by "debootstrap --variant=minbase $suite $mirror" "$bundle"
rm -rf "$bundle"
config minbase --config.cmd /bin/bash --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.label org.opencontainers.image.title=signet-minbase

# ---------------------------------------------------------------------------------------------------------
# multilayer: busybox-static, 6 layers covering the tar and layering edge cases
step "multilayer: busybox-static $bb_ver"
bb_deb=$root/.debs/download/busybox-static_${bb_ver//:/%3a}_amd64.deb
if [ ! -s "$bb_deb" ]; then
  dl=$(mktemp -d "$work/dl-XXXXXX")
  (cd "$dl" && run apt-get download "busybox-static=$bb_ver")
  mv "$dl"/busybox-static_*.deb "$bb_deb"
  rm -rf "$dl"
fi
[ -s "$bb_pin" ] || echo "$bb_ver" >"$bb_pin"
run umoci new --image "$oci:multilayer"
run umoci unpack --image "$oci:multilayer" "$bundle"
r=$bundle/rootfs
layer() { run umoci repack --refresh-bundle --image "$oci:multilayer" --history.created_by "$1" "$bundle"; }

# L1 busybox with applet symlinks, plain files, a directory tree, a hardlink pair, a dir to be made opaque
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/data/dir1/sub" "$r/opt/app/lib"
chmod 1777 "$r/tmp"
dpkg-deb --fsys-tarfile "$bb_deb" | tar -xO ./bin/busybox >"$r/bin/busybox"
chmod 0755 "$r/bin/busybox"
for applet in sh ls cat echo sha256sum; do ln -s busybox "$r/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
echo 'message of the day v1' >"$r/etc/motd"
echo 'token=layer1-secret' >"$r/etc/secret.txt"
echo a >"$r/data/dir1/a"; echo b >"$r/data/dir1/sub/b"
echo 'same inode' >"$r/data/hard1"; ln "$r/data/hard1" "$r/data/hard2"
echo old1 >"$r/opt/app/old1.txt"; echo old2 >"$r/opt/app/lib/old2.txt"
layer "L1 busybox, files, dir tree, hardlinks"

# L2 modify a file, add setuid/setgid files, an absolute and a relative symlink
echo 'message of the day v2' >"$r/etc/motd"
mkdir -p "$r/usr/local/bin"
printf '#!/bin/sh\necho setuid\n' >"$r/usr/local/bin/suid"; chmod 4755 "$r/usr/local/bin/suid"
printf '#!/bin/sh\necho setgid\n' >"$r/usr/local/bin/sgid"; chmod 2755 "$r/usr/local/bin/sgid"
ln -s /etc/motd "$r/etc/motd.abs"
ln -s ../etc/motd "$r/data/motd.rel"
layer "L2 modify /etc/motd, setuid + setgid files, symlinks"

# L3 delete a file and a directory tree: .wh.secret.txt and .wh.dir1
rm "$r/etc/secret.txt"
rm -rf "$r/data/dir1"
layer "L3 rm /etc/secret.txt /data/dir1 (whiteouts)"
rm -rf "$bundle"

# L4 opaque directory: /opt/app replaced by new content (.wh..wh..opq). Only `umoci insert --opaque` makes one.
# umoci 0.4.7 insert writes this tar without the end-of-archive blocks; readers must accept that.
mkdir -p "$work/opaque"; echo new >"$work/opaque/new.txt"
run umoci insert --image "$oci:multilayer" --opaque --history.created_by "L4 opaque /opt/app (umoci insert --opaque)" \
  "$work/opaque" /opt/app
rm -rf "$work/opaque"

# L5 4 MiB incompressible file: AES-CTR keystream, deterministic so the blob is the same on every build
run umoci unpack --image "$oci:multilayer" "$bundle"
head -c 4194304 /dev/zero | openssl enc -aes-256-ctr -nosalt -pass pass:signet-multilayer -pbkdf2 >"$bundle/rootfs/random.bin"
layer "L5 4 MiB incompressible /random.bin"

# L6 a third link to the L1 inode /data/hard1: the hardlink set now spans layers
ln "$bundle/rootfs/data/hard1" "$bundle/rootfs/data/hard3"
layer "L6 hardlink /data/hard3 -> /data/hard1"
rm -rf "$bundle"
config multilayer --config.cmd /bin/sh --config.label org.opencontainers.image.title=signet-multilayer

# ---------------------------------------------------------------------------------------------------------
# bench: minbase + apt packages in a chroot, one layer per group, >= 100 MB of gzip layers. Measured:
# minbase 51 MB + python3/perl 29 MB + gcc-12/g++-12/make 95 MB + git/curl 29 MB = 205 MB gzip, 536 MB of tar,
# about 40 s of the build. (golang-1.19-go as a further layer added 130 MB and ~15 s: more than needed.)
step "bench: apt-get install in a chroot"
run umoci unpack --image "$oci:minbase" "$bundle"
r=$bundle/rootfs
apt_install() {   # apt_install PACKAGE... : install into the chroot $r, keep the downloaded .debs in the cache
  find "$root/.debs/apt" -name '*.deb' -exec cp -l {} "$r/var/cache/apt/archives/" \;
  unsafe_io "$r"
  run chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  rm -f "$r/etc/dpkg/dpkg.cfg.d/signet-unsafe-io"
  find "$r/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -ln {} "$root/.debs/apt/" \;
  run chroot "$r" apt-get clean
}
repack_without_lists() {   # repack_without_lists IMAGE CREATED_BY : commit $bundle as one layer
  mv "$r/var/lib/apt/lists" "$work/apt-lists"     # keep ~80 MB of package lists out of the layer
  mkdir "$r/var/lib/apt/lists"
  run umoci repack --refresh-bundle --image "$oci:$1" --history.created_by "$2" "$bundle"
  rm -rf "$r/var/lib/apt/lists"; mv "$work/apt-lists" "$r/var/lib/apt/lists"
}
apt_layer() { apt_install "${@:2}"; repack_without_lists "$1" "apt-get install ${*:2}"; }   # apt_layer IMAGE PACKAGE...
chroot_for_apt() {   # the unpacked bundle $r can run apt-get: DNS, no service starts, fresh package lists
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"; chmod 0755 "$r/usr/sbin/policy-rc.d"
  run chroot "$r" apt-get update -q
}
chroot_for_apt
run umoci tag --image "$oci:minbase" bench
apt_layer bench python3 perl
apt_layer bench gcc-12 g++-12 make
apt_layer bench git curl ca-certificates
rm -rf "$r/var/lib/apt/lists/"* "$r/usr/sbin/policy-rc.d"; : >"$r/etc/resolv.conf"
run umoci repack --image "$oci:bench" --history.created_by "remove policy-rc.d, empty resolv.conf" "$bundle"
rm -rf "$bundle"
config bench --config.cmd /bin/bash --config.label org.opencontainers.image.title=signet-bench

# ---------------------------------------------------------------------------------------------------------
# contents: what the catalogers must find, layer by layer, with the ground truth written next to it in contents/
# (docs/test-images.md lists what each layer proves). L1 is minbase's layer itself.
step "contents: apt, npm, dotnet, removals"
truth=$work/contents
mkdir -p "$truth"
dpkg_list() { dpkg-query --admindir="$1/var/lib/dpkg" -W -f='${Package}\t${Version}\t${Architecture}\n' | LC_ALL=C sort; }
go_buildinfo() {   # a Go binary's .go.buildinfo section (inline since Go 1.18) as JSON: Go version, path, modules
  objcopy -O binary --only-section=.go.buildinfo "$1" "$work/buildinfo"
  strings -n 4 "$work/buildinfo" | sed -E 's/^[[:space:]]+//' | grep -E $'^(go1\\.|(path|mod|dep|build)\t)' |
    jq -R 'split("\t")' | jq -sc '{ goVersion: (map(select(.[0] | startswith("go1."))) | .[0][0]),
      path: (map(select(.[0] == "path")) | .[0][1]),
      main: (map(select(.[0] == "mod")) | .[0] | if . then { path: .[1], version: .[2] } else null end),
      deps: [ .[] | select(.[0] == "dep") | { path: .[1], version: .[2] } ], settings: [ .[] | select(.[0] == "build") | .[1] ] }'
  rm -f "$work/buildinfo"
}
run umoci tag --image "$oci:minbase" contents
run umoci unpack --image "$oci:contents" "$bundle"
r=$bundle/rootfs

# L2 Debian packages: a Go binary built by Debian (GOPATH mode: build info without modules), Python metadata as
# *.dist-info and *.egg-info directories, nodejs without npm, and jq, which L5 purges
contents_debs=(age python3 python3-requests nodejs jq)
purged_deb=jq
chroot_for_apt
apt_install "${contents_debs[@]}"
rm -f "$r/usr/sbin/policy-rc.d"; : >"$r/etc/resolv.conf"
repack_without_lists contents "apt-get install ${contents_debs[*]}"
rm -rf "$r/var/lib/apt/lists/"*
dpkg_list "$r" >"$truth/dpkg-query.l2.tsv"

# L3 npm packages from the npm registry, installed by the host npm into /opt/app with their package-lock.json:
# @isaacs/cliui brings npm aliases (node_modules/string-width-cjs is string-width@4), @esbuild/linux-x64 is a Go
# binary built in module mode (build info with mod and dep lines), minimist is whited out by L5
npm_packages=(lodash@4.17.20 minimist@1.2.5 @isaacs/cliui@8.0.2 @esbuild/linux-x64@0.25.9)
whiteout_npm=minimist
mkdir -p "$r/opt/app"
printf '{"name":"signet-contents-app","version":"1.0.0","private":true}\n' >"$r/opt/app/package.json"
run npm install --prefix "$r/opt/app" --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error "${npm_packages[@]}"
npm ls --all --json --prefix "$r/opt/app" >"$truth/npm-ls.l3.json" 2>>"$log"
run umoci repack --refresh-bundle --image "$oci:contents" --history.created_by "npm install --prefix /opt/app ${npm_packages[*]}" "$bundle"

# L4 a framework-dependent .NET app with one NuGet package, built by the host SDK outside the checkout
dotnet_app=SignetContentsApp
(
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  cd "$work"
  run dotnet new console --name "$dotnet_app" --output dotnet-src --framework net10.0 --no-restore
  run dotnet add dotnet-src package YamlDotNet --version 16.3.0 --no-restore
  printf '%s\n' 'var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build();' \
    'Console.Write(yaml.Serialize(new { Name = "signet-contents", Args = args }));' >dotnet-src/Program.cs
  run dotnet publish dotnet-src -c Release --self-contained false -p:DebugType=none -o "$r/app"
)
rm -rf "$work/dotnet-src"
run umoci repack --refresh-bundle --image "$oci:contents" \
  --history.created_by "dotnet publish $dotnet_app (net10.0, framework-dependent, YamlDotNet 16.3.0) to /app" "$bundle"

# L5 removals: dpkg purges a package of L2 (its files become whiteouts, its status entry goes) and an npm package
# directory of L3 is deleted while package-lock.json still lists it
purged_version=$(awk -F'\t' -v p="$purged_deb" '$1 == p { print $2 }' "$truth/dpkg-query.l2.tsv")
whiteout_version=$(jq -r .version "$r/opt/app/node_modules/$whiteout_npm/package.json")
run chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$purged_deb"
run chroot "$r" apt-get clean
rm -rf "$r/opt/app/node_modules/$whiteout_npm"
run umoci repack --refresh-bundle --image "$oci:contents" \
  --history.created_by "apt-get purge $purged_deb; rm -rf /opt/app/node_modules/$whiteout_npm" "$bundle"
rm -rf "$bundle"
config contents --config.cmd /bin/bash --config.label org.opencontainers.image.title=signet-contents

# the final root filesystem as umoci unpacks it (dir: transport tests), and the truth about it
run umoci unpack --image "$oci:contents" "$bundle"
mv "$bundle/rootfs" "$truth/rootfs"
rm -rf "$bundle"
r=$truth/rootfs
dpkg_list "$r" >"$truth/dpkg-query.tsv"
npm ls --all --json --prefix "$r/opt/app" >"$truth/npm-ls.json" 2>>"$log" || true   # exit 1: minimist is missing
grep -q "^$purged_deb	" "$truth/dpkg-query.l2.tsv" || die "contents: $purged_deb was not installed in L2"
! grep -q "^$purged_deb	" "$truth/dpkg-query.tsv" || die "contents: $purged_deb is still installed after L5"
jq -e --arg p "$whiteout_npm" '.packages["node_modules/" + $p]' "$r/opt/app/package-lock.json" >/dev/null ||
  die "contents: package-lock.json no longer lists $whiteout_npm"
[ ! -e "$r/opt/app/node_modules/$whiteout_npm" ] || die "contents: $whiteout_npm is still in the final rootfs"
esbuild=/opt/app/node_modules/@esbuild/linux-x64/bin/esbuild
jq -n --arg deb "$purged_deb" --arg debv "$purged_version" --arg npm "$whiteout_npm" --arg npmv "$whiteout_version" \
  --arg app "$dotnet_app" --argjson age "$(go_buildinfo "$r/usr/bin/age")" --argjson esbuild "$(go_buildinfo "$r$esbuild")" \
  --arg esbuildPath "$esbuild" --argjson python "$(cd "$r" && find usr/lib/python3* -maxdepth 2 \( -name '*.dist-info' -o -name '*.egg-info' \) |
    LC_ALL=C sort | jq -R '"/" + .' | jq -s .)" --argjson debs "$(printf '%s\n' "${contents_debs[@]}" | jq -R . | jq -s .)" \
  --argjson npms "$(printf '%s\n' "${npm_packages[@]}" | jq -R . | jq -s .)" \
  --argjson l2 "$(wc -l <"$truth/dpkg-query.l2.tsv")" --argjson final "$(wc -l <"$truth/dpkg-query.tsv")" '{
    layers: 5,
    dpkg: { query: "dpkg-query.tsv", queryL2: "dpkg-query.l2.tsv", count: $final, countL2: $l2, installedInL2: $debs,
            purged: { name: $deb, version: $debv, layer: 5 } },
    npm: { prefix: "/opt/app", lock: "/opt/app/package-lock.json", installed: $npms, ls: "npm-ls.json", lsL3: "npm-ls.l3.json",
           whitedOut: { name: $npm, version: $npmv, path: ("/opt/app/node_modules/" + $npm), layer: 5 } },
    python: { metadataDirs: $python },
    go: [ { path: "/usr/bin/age", debPackage: "age", buildInfo: $age },
          { path: $esbuildPath, npmPackage: "@esbuild/linux-x64", buildInfo: $esbuild } ],
    dotnet: { app: ("/app/" + $app), depsJson: ("/app/" + $app + ".deps.json"), packages: [ { name: "YamlDotNet", version: "16.3.0" } ] },
    rootfs: "rootfs" }' >"$truth/expected.json"
run umoci gc --layout "$oci"

# ---------------------------------------------------------------------------------------------------------
# conversions with skopeo
step "skopeo: zstd, v2s2, archives"
run skopeo copy --dest-compress --dest-compress-format zstd "oci:$oci:multilayer" "oci:$work/oci-zstd:multilayer"
# skopeo 1.9.3 does write a v2s2 manifest into an oci: layout with --format v2s2 (index.json descriptor has
# mediaType application/vnd.docker.distribution.manifest.v2+json), but cannot read that layout back ("no
# descriptor found for reference"): the dir: copy is the v2s2 form skopeo itself can read.
run skopeo copy --format v2s2 "oci:$oci:multilayer" "oci:$work/oci-v2s2:multilayer"
mkdir -p "$work/dir-v2s2"
run skopeo copy --format v2s2 "oci:$oci:multilayer" "dir:$work/dir-v2s2/multilayer"
mkdir -p "$work/archives"
run skopeo copy "oci:$oci:minbase" "docker-archive:$work/archives/minbase.docker.tar:lab/minbase:bookworm"
run skopeo copy "oci:$oci:multilayer" "docker-archive:$work/archives/multilayer.docker.tar:lab/multilayer:v1"
run skopeo copy "oci:$oci:multilayer" "oci-archive:$work/archives/multilayer.oci.tar:multilayer"
run skopeo copy "oci:$oci:contents" "docker-archive:$work/archives/contents.docker.tar:lab/contents:v1"

# ---------------------------------------------------------------------------------------------------------
# summary.json (paths are final, i.e. under $out)
step "summary.json"
layout_entry() {   # layout_entry NAME LAYOUT-SUBDIR TAG
  local name=$1 sub=$2 tag=$3 desc mdig mblob
  desc=$(jq -c --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)' "$work/$sub/index.json")
  mdig=$(jq -r .digest <<<"$desc")
  mblob=$work/$sub/blobs/sha256/${mdig#sha256:}
  jq -n --arg name "$name" --arg path "$out/$sub" --arg tag "$tag" --argjson desc "$desc" --slurpfile m "$mblob" '{
      name: $name, transport: "oci", reference: ("oci:" + $path + ":" + $tag), path: $path, tag: $tag,
      manifestDigest: $desc.digest, manifestMediaType: ($desc.mediaType // "application/vnd.oci.image.manifest.v1+json"),
      configDigest: $m[0].config.digest, layers: ($m[0].layers | length),
      layerMediaTypes: ($m[0].layers | map(.mediaType) | unique),
      compressedSize: ($m[0].layers | map(.size) | add) }'
}
dir_entry() {   # dir_entry NAME SUBDIR
  local name=$1 sub=$2
  jq -n --arg name "$name" --arg path "$out/$sub" --arg dig "sha256:$(sha256sum <"$work/$sub/manifest.json" | cut -d' ' -f1)" \
    --slurpfile m "$work/$sub/manifest.json" '{
      name: $name, transport: "dir", reference: ("dir:" + $path), path: $path,
      manifestDigest: $dig, manifestMediaType: $m[0].mediaType, configDigest: $m[0].config.digest,
      layers: ($m[0].layers | length), layerMediaTypes: ($m[0].layers | map(.mediaType) | unique),
      compressedSize: ($m[0].layers | map(.size) | add) }'
}
archive_entry() {   # archive_entry NAME FILE TRANSPORT REF
  local name=$1 file=$2 transport=$3 ref=$4 raw
  raw=$(skopeo inspect --raw "$transport:$work/$file${ref:+:$ref}")
  jq -n --arg name "$name" --arg path "$out/$file" --arg transport "$transport" --arg ref "$ref" \
    --argjson m "$raw" --argjson size "$(stat -c %s "$work/$file")" '{
      name: $name, transport: $transport, reference: ($transport + ":" + $path + (if $ref == "" then "" else ":" + $ref end)),
      path: $path, tag: $ref, configDigest: $m.config.digest, layers: ($m.layers | length), fileSize: $size }'
}
{
  layout_entry minbase oci minbase
  layout_entry multilayer oci multilayer
  layout_entry bench oci bench
  layout_entry contents oci contents
  layout_entry multilayer-zstd oci-zstd multilayer
  layout_entry multilayer-docker oci-v2s2 multilayer
  dir_entry multilayer-docker-dir dir-v2s2/multilayer
  archive_entry minbase-docker-archive archives/minbase.docker.tar docker-archive lab/minbase:bookworm
  archive_entry multilayer-docker-archive archives/multilayer.docker.tar docker-archive lab/multilayer:v1
  archive_entry multilayer-oci-archive archives/multilayer.oci.tar oci-archive multilayer
  archive_entry contents-docker-archive archives/contents.docker.tar docker-archive lab/contents:v1
  jq -n --arg path "$out/contents/rootfs" '{ name: "contents-rootfs", transport: "rootfs", reference: ("dir:" + $path), path: $path }'
} | jq -s --arg key "$key" --arg mirror "$mirror" --arg built "$(date -u +%FT%TZ)" \
  '{ key: $key, mirror: $mirror, built: $built, images: . }' >"$work/summary.json.tmp"
mv "$work/summary.json.tmp" "$work/summary.json"

# ---------------------------------------------------------------------------------------------------------
step "done"
chmod 0755 "$work"                  # mktemp made it 0700; tests may run as another user
if [ -e "$out" ]; then              # SIGNET_IMAGE_REBUILD=1, or a partial dir made by hand: move it aside first
  old=$(mktemp -d "$root/.old-$key-XXXXXX")
  mv -T "$out" "$old/$key"
  rm -rf "$old"
fi
mv -T "$work" "$out"
# prune: temp dirs of failed builds older than a day, and other keys (older recipes) not rebuilt for 14 days
find "$root" -mindepth 1 -maxdepth 1 -name ".tmp-*" -mtime +1 -exec rm -rf {} + 2>/dev/null || true
find "$root" -mindepth 1 -maxdepth 1 -regextype posix-extended -regex '.*/[0-9a-f]{16}' ! -name "$key" -mtime +14 \
  -exec sh -c 'rm -rf "$1" "$(dirname "$1")/.lock-$(basename "$1")"' _ {} \; 2>/dev/null || true
echo "build-test-images: built $key in $(elapsed) s" >&2
echo "$out"
